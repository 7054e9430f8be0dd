package io.stockservice.faults;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis with its append-only file on and fsynced on every write
 * ({@code --appendonly yes --appendfsync always}) is killed with SIGKILL and started
 * again. The stock, and the idempotency records written in the same transaction or script
 * as the decrements, come back with it: the service serves the same level, and a retry of
 * a request answered before the crash is replayed, not applied again. The Lua strategy
 * also finds its script gone from the new server's cache, and loads it again.
 */
class RedisRestartFaultTests {

	static final String FIRST_ANSWER = "{\"sku\":\"durable\",\"reduced\":3,\"available\":7,\"attempts\":1}";

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void stockAndIdempotencyRecordsSurviveACrashWithTheAppendOnlyFileOn(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy)) {
			RestTestClient http = service.http();
			http.put()
				.uri("/stock/durable")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"quantity\":10}")
				.exchange()
				.expectStatus()
				.isOk();
			reduce(http, "order-1", 3).expectStatus().isOk().expectBody().json(FIRST_ANSWER, JsonCompareMode.STRICT);
			reduce(http, null, 1).expectStatus().isOk();
			reduce(http, "order-2", 50).expectStatus().isEqualTo(409);

			redis.crash();
			redis.restart();

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> http.get()
					.uri("/stock/durable")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.available")
					.isEqualTo(6));
			// Retrying is what a client does after a 503, and with its key it is safe.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> reduce(http, "order-1", 3).expectStatus()
					.isOk()
					.expectHeader()
					.valueEquals("Idempotent-Replayed", "true")
					.expectBody()
					.json(FIRST_ANSWER, JsonCompareMode.STRICT));
			reduce(http, "order-2", 50).expectStatus()
				.isEqualTo(409)
				.expectHeader()
				.valueEquals("Idempotent-Replayed", "true")
				.expectBody()
				.jsonPath("$.available")
				.isEqualTo(6);
			assertThat(redis.commands().get("stock:durable")).isEqualTo("6");
			assertThat(redis.commands().pttl("stock-service:idempotency:{stock:durable}:order-1")).isPositive();
		}
	}

	static RestTestClient.ResponseSpec reduce(RestTestClient http, String key, long quantity) {
		return http.post().uri("/stock/reduce").headers((headers) -> {
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"durable\",\"quantity\":" + quantity + "}")
			.exchange();
	}

}
