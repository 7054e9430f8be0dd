package io.stockservice.api;

import java.util.function.Function;
import java.util.stream.Stream;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.stockservice.fixture.Problems.TYPES;
import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code stock.admin.token} set, setting, restocking and deleting stock need
 * {@code Authorization: Bearer <token>}: without credentials, or with credentials that
 * are not a bearer token, 401 with a {@code WWW-Authenticate: Bearer} challenge; with
 * another token, 403; both as problem+json, and nothing written. Reducing and reading
 * stay open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stock.admin.token=" + AdminTokenApiTests.TOKEN)
@AutoConfigureRestTestClient
@Import(RealRedisConfiguration.class)
class AdminTokenApiTests {

	static final String TOKEN = "c2VjcmV0LWFkbWluLXRva2Vu_x-1~";

	@Autowired
	RestTestClient http;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	void seed() {
		this.redis.flush();
		this.redis.commands().set("stock:count", "10");
	}

	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	/** Each admin operation, and the stock level it leaves when it runs. */
	static Stream<Arguments> adminOperations() {
		Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> set = (http) -> http.put()
			.uri("/stock/count")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":50}");
		Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> restock = (http) -> http.post()
			.uri("/stock/count/restock")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":5}");
		Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> delete = (http) -> http.delete()
			.uri("/stock/count");
		return Stream.of(Arguments.of("PUT /stock/count", set, "50"),
				Arguments.of("POST /stock/count/restock", restock, "15"),
				Arguments.of("DELETE /stock/count", delete, null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("adminOperations")
	void withoutCredentialsIs401WithABearerChallengeAndWritesNothing(String name,
			Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> operation, String after) {
		assertProblem(operation.apply(this.http)
			.exchange()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer realm=\"stock-service\""), 401, "authentication-required");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("10");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("adminOperations")
	void credentialsThatAreNotABearerTokenAre401InvalidRequest(String name,
			Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> operation, String after) {
		for (String credentials : new String[] { "Basic YWRtaW46" + TOKEN, "Bearer", "Bearer " + TOKEN + " extra",
				TOKEN }) {
			operation.apply(this.http)
				.header("Authorization", credentials)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals("WWW-Authenticate", "Bearer realm=\"stock-service\", error=\"invalid_request\"")
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo(TYPES + "authentication-required");
		}
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("10");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("adminOperations")
	void anotherTokenIs403AndWritesNothing(String name,
			Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> operation, String after) {
		for (String token : new String[] { "wrong", TOKEN.substring(1), TOKEN + "x", TOKEN.toUpperCase() }) {
			assertProblem(operation.apply(this.http).header("Authorization", "Bearer " + token).exchange(), 403,
					"access-denied");
		}
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("10");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("adminOperations")
	void theAdminTokenLetsTheOperationRun(String name,
			Function<RestTestClient, RestTestClient.RequestHeadersSpec<?>> operation, String after) {
		operation.apply(this.http)
			.header("Authorization", "bearer  " + TOKEN)
			.exchange()
			.expectStatus()
			.is2xxSuccessful();
		assertThat(this.redis.commands().get("stock:count")).isEqualTo(after);
	}

	@Test
	void theTokenIsCheckedBeforeTheBodySoAnInvalidBodyWithoutTokenIs401() {
		this.http.put()
			.uri("/stock/count")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":-1}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void reducingAndReadingNeedNoToken() {
		this.http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange()
			.expectStatus()
			.isOk();
		this.http.get()
			.uri("/stock/count")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(9);
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

}
