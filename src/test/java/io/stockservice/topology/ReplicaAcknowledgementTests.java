package io.stockservice.topology;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stock.redis.replicas-to-ack}: a sale is acknowledged only once that many
 * replicas confirmed it (WAIT), on real redis-servers, for both strategies.
 */
class ReplicaAcknowledgementTests {

	static RestTestClient.ResponseSpec reduce(RestTestClient http, String key) {
		return http.post()
			.uri("/stock/reduce")
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\",\"quantity\":1}")
			.exchange();
	}

	/**
	 * A master with no replica connected cannot acknowledge a sale: every reduce is 503
	 * within the deadline (the wait is bounded by
	 * {@code stock.redis.replica-ack-timeout}, 500 ms), a retry with its key too, and
	 * nothing is ever answered 200. Reads still work; health says why, without taking
	 * readiness down.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void withAReplicaRequiredAndNoneConnectedNoSaleIsAcknowledged(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.redis.replicas-to-ack=1",
						"stock.reduce.strategy=" + strategy)) {
			redis.commands().set("stock:count", "10");
			RestTestClient http = service.http();
			// A first call of a fresh service is slow for reasons of its own (classes to
			// load, code to compile), not of the deadline's.
			http.get().uri("/stock/count").exchange().expectStatus().isOk();

			for (String key : new String[] { "first", "first", "second" }) {
				long start = System.nanoTime();
				reduce(http, key).expectStatus()
					.isEqualTo(503)
					.expectHeader()
					.exists("Retry-After")
					.expectBody()
					.jsonPath("$.type")
					.isEqualTo("https://stockservice.io/problems/redis-unavailable")
					.jsonPath("$.replicasRequired")
					.isEqualTo(1)
					.jsonPath("$.replicasConfirmed")
					.isEqualTo(0);
				// Within the deadline (2 s), and a margin for what lies outside it:
				// Tomcat,
				// the test's client, a busy machine.
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			}
			http.get().uri("/stock/count").exchange().expectStatus().isOk();
			http.get().uri("/readyz").exchange().expectStatus().isOk();
			http.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.redisReplication.status")
				.isEqualTo("DEGRADED")
				.jsonPath("$.components.redisReplication.details.replicasToAck")
				.isEqualTo(1);
			assertThat(http.get().uri("/actuator/prometheus").exchange().returnResult(String.class).getResponseBody())
				.containsPattern("stock_reduce_requests_total\\{[^}]*outcome=\"unreplicated\"[^}]*} 3")
				.containsPattern("stock_redis_replicas_min\\{[^}]*} 0");
		}
	}

	/**
	 * With its replica connected, the same sale is acknowledged, and the replica has it.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void aSaleIsAcknowledgedOnceTheReplicaHasIt(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
				RedisServerProcess replica = RedisServerProcess.start("--replicaof", redis.host(),
						Integer.toString(redis.port()));
				// What this test shows is that the replica has the acknowledged sale, not
				// how
				// fast: a generous deadline and wait, so that a busy machine (a CI run's
				// GC
				// pause, a slow first call) cannot turn the sale into an in-doubt 503.
				RunningService service = RunningService.on(redis, "stock.redis.replicas-to-ack=1",
						"stock.redis.replica-ack-timeout=10s", "stock.reduce.deadline=15s",
						"stock.reduce.strategy=" + strategy)) {
			redis.commands().set("stock:count", "10");
			// Online as the master sees it, which after a diskless sync waits for the
			// replica's first acknowledgement: until then WAIT does not count it.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> String.valueOf(redis.info("replication").get("slave0")).contains("state=online"));

			EntityExchangeResult<String> sale = reduce(service.http(), "sale").returnResult(String.class);
			assertThat(sale.getStatus().value()).as(sale::getResponseBody).isEqualTo(200);
			assertThat(sale.getResponseBody()).contains("\"available\":9");
			reduce(service.http(), "sale").expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("Idempotent-Replayed", "true");

			assertThat(replica.commands().get("stock:count")).isEqualTo("9");
			assertThat(replica.commands().exists("stock-service:idempotency:{stock:count}:sale")).isOne();
		}
	}

	/**
	 * The Redis setting the README recommends with it, {@code min-replicas-to-write 1}: a
	 * master without a replica refuses the write itself, so the 503 leaves nothing in
	 * doubt.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void aMasterThatRefusesWritesWithoutReplicasTakesNothing(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.redis.replicas-to-ack=1",
						"stock.reduce.strategy=" + strategy)) {
			redis.commands().set("stock:count", "10");
			redis.commands().configSet("min-replicas-max-lag", "10");
			redis.commands().configSet("min-replicas-to-write", "1");

			reduce(service.http(), "refused").expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo("https://stockservice.io/problems/redis-unavailable")
				.jsonPath("$.detail")
				.value((detail) -> assertThat((String) detail).contains("Nothing was taken"));
			assertThat(service.http()
				.get()
				.uri("/actuator/prometheus")
				.exchange()
				.returnResult(String.class)
				.getResponseBody())
				.containsPattern("stock_reduce_requests_total\\{[^}]*outcome=\"unreplicated\"[^}]*} 1");

			assertThat(redis.commands().get("stock:count")).isEqualTo("10");
			assertThat(redis.commands().exists("stock-service:idempotency:{stock:count}:refused")).isZero();
		}
	}

}
