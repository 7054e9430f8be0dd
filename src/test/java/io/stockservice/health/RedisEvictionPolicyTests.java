package io.stockservice.health;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A Redis that may evict the service's keys when full is refused by readiness, naming the
 * setting and the fix, unless the operator accepts it; {@code noeviction}, or no memory
 * limit at all, is fine. Each on a real redis-server started with that policy.
 */
class RedisEvictionPolicyTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "allkeys-lru", "volatile-lru", "allkeys-random", "volatile-ttl" })
	void aPolicyThatMayEvictKeepsTheServiceOutOfReadinessAndSaysHowToFixIt(String policy) {
		try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory", "3mb", "--maxmemory-policy", policy);
				RunningService service = RunningService.on(redis)) {
			RestTestClient http = service.http();

			http.get().uri("/readyz").exchange().expectStatus().isEqualTo(503);
			http.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.redisEviction.status")
				.isEqualTo("OUT_OF_SERVICE")
				.jsonPath("$.components.redisEviction.details.masters.*.maxmemory-policy")
				.isEqualTo(policy)
				.jsonPath("$.components.redisEviction.details.fix")
				.value((fix) -> org.assertj.core.api.Assertions.assertThat((String) fix)
					.contains("maxmemory-policy noeviction", "stock.redis.accept-eviction=true"));
		}
	}

	@Test
	void noevictionIsReady() {
		try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory", "3mb", "--maxmemory-policy",
				"noeviction"); RunningService service = RunningService.on(redis)) {
			service.http().get().uri("/readyz").exchange().expectStatus().isOk();
		}
	}

	@Test
	void aPolicyWithoutAMemoryLimitNeverEvictsAndIsReady() {
		try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory", "0", "--maxmemory-policy",
				"allkeys-lru"); RunningService service = RunningService.on(redis)) {
			service.http().get().uri("/readyz").exchange().expectStatus().isOk();
		}
	}

	@Test
	void anOperatorWhoAcceptsEvictionGetsAReadyService() {
		try (RedisServerProcess redis = RedisServerProcess.start("--maxmemory", "3mb", "--maxmemory-policy",
				"volatile-lru");
				RunningService service = RunningService.on(redis, "stock.redis.accept-eviction=true")) {
			service.http().get().uri("/readyz").exchange().expectStatus().isOk();
			service.http()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.redisEviction.details.accepted")
				.isEqualTo(true);
		}
	}

}
