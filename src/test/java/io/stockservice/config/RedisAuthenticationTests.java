package io.stockservice.config;

import java.time.Duration;

import io.lettuce.core.AclSetuserArgs;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service authenticates to Redis with {@code spring.data.redis.password} (and
 * {@code username}, for an ACL user), set as properties exactly as in production, on both
 * of its clients: the transaction connections and Spring Data Redis's health check. A
 * wrong password is a 503 and a readiness DOWN, never a stack trace or Redis's own words.
 */
class RedisAuthenticationTests {

	static final String PASSWORD = "s3cret-redis-password";

	@Test
	void servesWithThePasswordOfARedisStartedWithRequirepass() {
		try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD);
				RunningService service = RunningService.withProperties("spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + redis.port(), "spring.data.redis.password=" + PASSWORD)) {
			redis.commands().set("stock:count", "10");
			RestTestClient http = service.http();

			reduce(http, "count").expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(9);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		}
	}

	@Test
	void aWrongPasswordIs503AndNotReadyWithoutSayingWhy() {
		try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD);
				RunningService service = RunningService.withProperties("spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + redis.port(), "spring.data.redis.password=wrong")) {
			redis.commands().set("stock:count", "10");
			RestTestClient http = service.http();

			String body = reduce(http, "count").expectStatus()
				.isEqualTo(503)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(body).contains("redis-unavailable").doesNotContainIgnoringCase("WRONGPASS");
			http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
			assertThat(redis.commands().get("stock:count")).isEqualTo("10");
		}
	}

	/**
	 * An ACL user allowed only the service's own keys ({@code stock:*} and
	 * {@code stock-service:*}): all the service needs, both strategies included.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void servesAsAnAclUserLimitedToItsOwnKeys(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", PASSWORD)) {
			redis.commands()
				.aclSetuser("stock",
						AclSetuserArgs.Builder.on()
							.addPassword("stock-user-password")
							.keyPattern("stock:*")
							.keyPattern("stock-service:*")
							.allCommands());
			redis.commands().set("stock:count", "10");
			redis.commands().set("other:count", "10");
			try (RunningService service = RunningService.withProperties("spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redis.port(), "spring.data.redis.username=stock",
					"spring.data.redis.password=stock-user-password", "stock.reduce.strategy=" + strategy)) {
				RestTestClient http = service.http();

				http.post()
					.uri("/stock/reduce")
					.header("Idempotency-Key", "order-1")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"sku\":\"count\",\"quantity\":2}")
					.exchange()
					.expectStatus()
					.isOk();
				http.put()
					.uri("/stock/count")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"quantity\":20}")
					.exchange()
					.expectStatus()
					.isOk();
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
				assertThat(redis.commands().get("stock:count")).isEqualTo("20");
				assertThat(redis.commands().exists("stock-service:idempotency:{stock:count}:order-1")).isOne();
			}
		}
	}

	static RestTestClient.ResponseSpec reduce(RestTestClient http, String sku) {
		return http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"" + sku + "\"}")
			.exchange();
	}

}
