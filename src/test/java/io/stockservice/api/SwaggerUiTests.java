package io.stockservice.api;

import java.util.List;
import java.util.regex.Pattern;

import io.stockservice.fixture.RealRedisConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Swagger UI page loads: {@code /swagger-ui.html} leads to its HTML, every script and
 * style sheet the HTML names is served with its media type (from the swagger-ui webjar),
 * and the UI is pointed at the service's own document. springdoc's endpoints also keep
 * the service's rules: a body over the limit is 413, a wrong method 405 and a missing
 * asset 404, each as problem+json.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stock.admin.token=" + AdminTokenApiTests.TOKEN)
@AutoConfigureRestTestClient
@Import(RealRedisConfiguration.class)
class SwaggerUiTests {

	static final Pattern ASSET = Pattern.compile("(?:src|href)=\"\\./([^\"?#]+)\"");

	@Autowired
	RestTestClient http;

	@Test
	void theUiPageLeadsToItsHtmlAndEveryScriptAndStyleSheetItNamesIsServed() {
		EntityExchangeResult<String> page = get("/swagger-ui.html");
		assertThat(page.getStatus().value()).isEqualTo(302);
		String index = page.getResponseHeaders().getLocation().getPath();
		assertThat(index).isEqualTo("/swagger-ui/index.html");

		EntityExchangeResult<String> html = get(index);
		assertThat(html.getStatus().value()).isEqualTo(200);
		assertThat(html.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
		assertThat(html.getResponseBody()).contains("<div id=\"swagger-ui\">");
		List<String> assets = ASSET.matcher(html.getResponseBody()).results().map((asset) -> asset.group(1)).toList();

		assertThat(assets).contains("swagger-ui.css", "swagger-ui-bundle.js", "swagger-initializer.js");
		for (String asset : assets) {
			EntityExchangeResult<String> served = get("/swagger-ui/" + asset);
			assertThat(served.getStatus().value()).as(asset).isEqualTo(200);
			assertThat(served.getResponseBody()).as(asset).isNotBlank();
			MediaType type = served.getResponseHeaders().getContentType();
			if (asset.endsWith(".js")) {
				assertThat(type.toString()).as(asset).startsWith("text/javascript");
			}
			else if (asset.endsWith(".css")) {
				assertThat(type.toString()).as(asset).startsWith("text/css");
			}
		}
	}

	@Test
	void theUiShowsTheServicesOwnDocument() {
		assertThat(get("/swagger-ui/swagger-initializer.js").getResponseBody()).contains("/v3/api-docs/swagger-config");

		EntityExchangeResult<String> config = get("/v3/api-docs/swagger-config");
		assertThat(config.getStatus().value()).isEqualTo(200);
		assertThat(JsonMapper.shared().readTree(config.getResponseBody()).path("url").asString())
			.isEqualTo("/v3/api-docs");
	}

	@Test
	void theDocumentIsAlsoServedAsYaml() {
		assertThat(get("/v3/api-docs.yaml").getResponseBody()).startsWith("openapi: 3.1.0").contains("/stock/reduce:");
	}

	@Test
	void aBodyOverTheLimitSentToTheDocumentIsRefusedWith413() {
		assertProblem(this.http.post()
			.uri("/v3/api-docs")
			.contentType(MediaType.APPLICATION_JSON)
			.body("x".repeat(20 * 1024))
			.exchange(), 413, "payload-too-large");
	}

	@Test
	void aWrongMethodOnTheDocumentIs405AndAMissingAssetIs404() {
		assertProblem(this.http.delete().uri("/v3/api-docs").exchange(), 405, "method-not-allowed");
		assertProblem(this.http.get().uri("/swagger-ui/no-such-asset.js").exchange(), 404, "not-found");
	}

	EntityExchangeResult<String> get(String path) {
		return this.http.get().uri(path).exchange().expectBody(String.class).returnResult();
	}

}
