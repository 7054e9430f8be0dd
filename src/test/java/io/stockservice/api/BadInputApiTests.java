package io.stockservice.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input the issue lists, one row each, over real HTTP against the
 * service on a real Redis: each gets its status and a problem+json body of our type
 * naming the field at fault, carries no stack trace or internal name, and writes nothing
 * (Redis holds exactly what it held before).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "stock.max-quantity=1000")
@Import(RealRedisConfiguration.class)
class BadInputApiTests {

	static final String JSON = "application/json";

	static final String FULL = Long.toString((1L << 53) - 1);

	static final int LIMIT = 16 * 1024;

	static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	static final JsonMapper json = JsonMapper.shared();

	final TestRedis redis = TestRedis.shared();

	@LocalServerPort
	int port;

	@BeforeEach
	void seedRedis() {
		this.redis.flush();
		this.redis.commands().set("stock:count", "100");
		this.redis.commands().set("stock:full", FULL);
	}

	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	static Stream<Row> rows() {
		return Stream.of(
				// POST /stock/reduce: the quantity
				reduce("quantity 0", "{\"sku\":\"count\",\"quantity\":0}").is(400, "invalid-request", "quantity"),
				reduce("quantity -1", "{\"sku\":\"count\",\"quantity\":-1}").is(400, "invalid-request", "quantity"),
				reduce("quantity 1.5", "{\"sku\":\"count\",\"quantity\":1.5}").is(400, "invalid-request", "quantity"),
				reduce("quantity \"1\"", "{\"sku\":\"count\",\"quantity\":\"1\"}").is(400, "invalid-request",
						"quantity"),
				reduce("quantity true", "{\"sku\":\"count\",\"quantity\":true}").is(400, "invalid-request", "quantity"),
				reduce("quantity 10^20", "{\"sku\":\"count\",\"quantity\":100000000000000000000}").is(400,
						"invalid-request", "quantity"),
				reduce("quantity above stock.max-quantity", "{\"sku\":\"count\",\"quantity\":1001}").is(400,
						"invalid-request", "quantity"),
				// POST /stock/reduce: the SKU
				reduce("missing sku", "{\"quantity\":1}").is(400, "invalid-request", "sku"),
				reduce("null sku", "{\"sku\":null}").is(400, "invalid-request", "sku"),
				reduce("empty sku", "{\"sku\":\"\"}").is(400, "invalid-request", "sku"),
				reduce("sku of 65 characters", "{\"sku\":\"" + "a".repeat(65) + "\"}").is(400, "invalid-request",
						"sku"),
				reduce("sku with a space", "{\"sku\":\"co unt\"}").is(400, "invalid-request", "sku"),
				reduce("sku with *", "{\"sku\":\"co*\"}").is(400, "invalid-request", "sku"),
				reduce("sku with {", "{\"sku\":\"{count}\"}").is(400, "invalid-request", "sku"),
				reduce("sku with a newline", "{\"sku\":\"co\\nunt\"}").is(400, "invalid-request", "sku"),
				reduce("sku not ASCII", "{\"sku\":\"caf\u00e9\"}").is(400, "invalid-request", "sku"),
				reduce("sku a number", "{\"sku\":123}").is(400, "invalid-request", "sku"),
				// POST /stock/reduce: the body as a whole
				reduce("body not JSON", "sku=count&quantity=1").is(400, "invalid-request", "body"),
				reduce("body an array", "[{\"sku\":\"count\"}]").is(400, "invalid-request", "body"),
				reduce("empty body", "").is(400, "invalid-request", "body"),
				reduce("body cut short", "{\"sku\":\"count\"").is(400, "invalid-request", "body"),
				reduce("body with trailing JSON", "{\"sku\":\"count\"} {}").is(400, "invalid-request", "body"),
				reduce("duplicate field", "{\"sku\":\"count\",\"sku\":\"full\"}").is(400, "invalid-request", "body"),
				reduce("unknown field (a misspelt quantity)", "{\"sku\":\"count\",\"quantiy\":5}").is(400,
						"invalid-request", "quantiy"),
				reduce("body of exactly 16 KiB is read", padded("{\"sku\":\"count\",\"quantity\":0}", LIMIT)).is(400,
						"invalid-request", "quantity"),
				reduce("body over 16 KiB", padded("{\"sku\":\"count\"}", LIMIT + 1)).is(413, "payload-too-large",
						"body"),
				reduce("body over 16 KiB in chunks", padded("{\"sku\":\"count\"}", LIMIT + 1)).chunked()
					.is(413, "payload-too-large", "body"),
				reduce("body over 1 MiB", padded("{\"sku\":\"count\"}", 1024 * 1024)).is(413, "payload-too-large",
						"body"),
				reduce("Content-Type text/plain", "{\"sku\":\"count\"}").contentType("text/plain")
					.is(415, "unsupported-media-type", "Content-Type"),
				reduce("no Content-Type", "{\"sku\":\"count\"}").contentType(null)
					.is(415, "unsupported-media-type", "Content-Type"),
				reduce("Idempotency-Key with a space", "{\"sku\":\"count\"}").header("Idempotency-Key", "order 1")
					.is(400, "invalid-request", "Idempotency-Key"),
				reduce("Idempotency-Key of 256 characters", "{\"sku\":\"count\"}")
					.header("Idempotency-Key", "k".repeat(256))
					.is(400, "invalid-request", "Idempotency-Key"),
				reduce("two Idempotency-Key headers", "{\"sku\":\"count\"}").header("Idempotency-Key", "a")
					.header("Idempotency-Key", "b")
					.is(400, "invalid-request", "Idempotency-Key"),
				// PUT /stock/{sku}
				put("/stock/count", "negative level", "{\"quantity\":-1}").is(400, "invalid-request", "quantity"),
				put("/stock/count", "non-integer level", "{\"quantity\":1.5}").is(400, "invalid-request", "quantity"),
				put("/stock/count", "level above 2^53", "{\"quantity\":9007199254740993}")
					.is(400, "invalid-request", "quantity"),
				put("/stock/count", "missing level", "{}").is(400, "invalid-request", "quantity"),
				put("/stock/" + "a".repeat(65), "sku of 65 characters in the path", "{\"quantity\":1}").is(400,
						"invalid-request", "sku"),
				put("/stock/co%20unt", "sku with a space in the path", "{\"quantity\":1}").is(400, "invalid-request",
						"sku"),
				put("/stock/co*", "sku with * in the path", "{\"quantity\":1}").is(400, "invalid-request", "sku"),
				put("/stock/%7Bcount%7D", "sku with { in the path", "{\"quantity\":1}").is(400, "invalid-request",
						"sku"),
				put("/stock/co%0Aunt", "sku with a newline in the path", "{\"quantity\":1}").is(400, "invalid-request",
						"sku"),
				put("/stock/caf%C3%A9", "sku not ASCII in the path", "{\"quantity\":1}").is(400, "invalid-request",
						"sku"),
				// POST /stock/{sku}/restock
				restock("full", "restock past 2^53", "{\"quantity\":2}").is(400, "invalid-request", "quantity"),
				restock("count", "restock of 0", "{\"quantity\":0}").is(400, "invalid-request", "quantity"),
				restock("count", "restock above stock.max-quantity", "{\"quantity\":1001}").is(400, "invalid-request",
						"quantity"),
				// Paths and methods
				new Row("unknown path", "GET", "/nothing/here", null, null).is(404, "not-found", null),
				new Row("path below reduce", "POST", "/stock/reduce/more", JSON, "{\"sku\":\"count\"}").is(404,
						"not-found", null),
				new Row("PATCH a stock", "PATCH", "/stock/count", JSON, "{\"quantity\":1}").is(405,
						"method-not-allowed", null),
				new Row("POST to a stock", "POST", "/stock/count", JSON, "{\"quantity\":1}").is(405,
						"method-not-allowed", null),
				new Row("PUT a restock", "PUT", "/stock/count/restock", JSON, "{\"quantity\":1}").is(405,
						"method-not-allowed", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void badInputIsRefusedAsAProblemNamingTheFieldAndWritesNothing(Row row) throws Exception {
		Map<String, String> before = contentsOfRedis();

		HttpResponse<String> response = send(row);

		assertThat(response.statusCode()).isEqualTo(row.status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("https://stockservice.io/problems/" + row.type);
		assertThat(problem.get("status").asInt()).isEqualTo(row.status);
		if (row.field != null) {
			assertThat(problem.get("errors").findValuesAsString("field")).containsExactly(row.field);
		}
		assertThat(response.body()).doesNotContain("Exception", "\tat ", "jackson", "springframework",
				"io.stockservice", "catalina");
		assertThat(contentsOfRedis()).isEqualTo(before);
	}

	HttpResponse<String> send(Row row) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + row.path));
		if (row.contentType != null) {
			request.header("Content-Type", row.contentType);
		}
		row.headers.forEach((header) -> request.header(header[0], header[1]));
		byte[] body = (row.body != null) ? row.body.getBytes(StandardCharsets.UTF_8) : null;
		BodyPublisher publisher = (body == null) ? HttpRequest.BodyPublishers.noBody()
				: row.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
						: HttpRequest.BodyPublishers.ofByteArray(body);
		request.method(row.method, publisher);
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Every key with its type and value: what "nothing written" compares. */
	Map<String, String> contentsOfRedis() {
		Map<String, String> contents = new TreeMap<>();
		for (String key : this.redis.commands().keys("*")) {
			String type = this.redis.commands().type(key);
			contents.put(key, type + ":" + (type.equals("string") ? this.redis.commands().get(key) : "?"));
		}
		return contents;
	}

	static String padded(String json, int length) {
		return json + " ".repeat(length - json.length());
	}

	static Row reduce(String name, String body) {
		return new Row(name, "POST", "/stock/reduce", JSON, body);
	}

	static Row put(String path, String name, String body) {
		return new Row(name, "PUT", path, JSON, body);
	}

	static Row restock(String sku, String name, String body) {
		return new Row(name, "POST", "/stock/" + sku + "/restock", JSON, body);
	}

	/** One bad request and how it must be refused. */
	static final class Row {

		final String name;

		final String method;

		final String path;

		String contentType;

		final String body;

		/** Name and value, in order; a name may come twice. */
		final List<String[]> headers = new ArrayList<>();

		boolean chunked;

		int status;

		String type;

		String field;

		Row(String name, String method, String path, String contentType, String body) {
			this.name = name;
			this.method = method;
			this.path = path;
			this.contentType = contentType;
			this.body = body;
		}

		Row contentType(String contentType) {
			this.contentType = contentType;
			return this;
		}

		Row header(String name, String value) {
			this.headers.add(new String[] { name, value });
			return this;
		}

		/** Sent without a length, in chunks. */
		Row chunked() {
			this.chunked = true;
			return this;
		}

		Row is(int status, String type, String field) {
			this.status = status;
			this.type = type;
			this.field = field;
			return this;
		}

		@Override
		public String toString() {
			return this.name + " -> " + this.status;
		}

	}

}
