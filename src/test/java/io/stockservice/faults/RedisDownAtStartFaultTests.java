package io.stockservice.api;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The service starts while its Redis is down, says so on readiness, answers 503 with
 * {@code Retry-After} instead of hanging, and recovers by itself once Redis is up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(RedisOutageApiTests.RedisNotYetStarted.class)
class RedisOutageApiTests {

	static final int REDIS_PORT = RedisServerProcess.freePort();

	static RedisServerProcess redis;

	@Autowired
	RestTestClient http;

	@TestConfiguration(proxyBeanMethods = false)
	static class RedisNotYetStarted {

		@Bean
		DataRedisConnectionDetails redisThatIsDown() {
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of("127.0.0.1", REDIS_PORT);
				}

			};
		}

	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void startsWithoutRedisAnswers503WhileItIsDownAndRecoversWhenItComesUp() {
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
		this.http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://stockservice.io/problems/redis-unavailable");
		this.http.get().uri("/stock/count").exchange().expectStatus().isEqualTo(503);

		redis = RedisServerProcess.startOn(REDIS_PORT);
		redis.commands().set("stock:count", "5");

		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		this.http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(4);
	}

}
