package io.stockservice.faults;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The service starts while its Redis is down, says so on readiness (and stays alive),
 * answers 503 with {@code Retry-After} instead of hanging, and recovers by itself once
 * Redis is up.
 */
class RedisDownAtStartFaultTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void startsWithoutRedisAnswers503WhileItIsDownAndRecoversWhenItComesUp(String strategy) {
		int port = RedisServerProcess.freePort();
		try (RunningService service = RunningService.onRedisAt(port, "stock.reduce.strategy=" + strategy)) {
			RestTestClient http = service.http();
			http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
			http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
			reduce(http).expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists("Retry-After")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo("https://stockservice.io/problems/redis-unavailable");
			http.get().uri("/stock/count").exchange().expectStatus().isEqualTo(503);

			try (RedisServerProcess redis = RedisServerProcess.startOn(port)) {
				redis.commands().set("stock:count", "5");

				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
				reduce(http).expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(4);
			}
		}
	}

	static RestTestClient.ResponseSpec reduce(RestTestClient http) {
		return http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange();
	}

}
