package io.stockservice.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.cluster.SlotHash;
import io.stockservice.fixture.ClusterTopology;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import io.stockservice.fixture.SlotMigration;
import io.stockservice.loadgen.LoadRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on a real Redis Cluster of three masters with a replica each (redis-server
 * processes the test starts and forms), configured by
 * {@code spring.data.redis.cluster.nodes} alone. Every key of a SKU lies in its stock
 * key's hash slot, so each transaction runs on the one master that serves that slot, on a
 * connection of its own; the service follows the slot when it moves (MOVED, or ASK and
 * TRYAGAIN while it is being migrated) and when a master fails over.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterTests {

	private static final Logger logger = LoggerFactory.getLogger(ClusterTests.class);

	static final int STOCK = 3000;

	static RunningService service(ClusterTopology cluster, String... more) {
		String[] properties = new String[more.length + 1];
		properties[0] = "spring.data.redis.cluster.nodes=" + cluster.clusterNodes();
		System.arraycopy(more, 0, properties, 1, more.length);
		return RunningService.withProperties(properties);
	}

	static RestTestClient.ResponseSpec send(RestTestClient http, String method, String uri, String key, String json) {
		RestTestClient.RequestBodySpec request = http.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON);
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return (json != null) ? request.body(json).exchange() : request.exchange();
	}

	/**
	 * Thirty SKUs spread over all three masters, and every call of the API works on each:
	 * PUT, reduce, GET, restock, and a keyed reduce replayed.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void everyCallWorksOnSkusSpreadOverEveryMaster(String strategy) {
		try (ClusterTopology cluster = ClusterTopology.start();
				RunningService service = service(cluster, "stock.reduce.strategy=" + strategy)) {
			RestTestClient http = service.http();
			Set<Integer> masters = new HashSet<>();
			for (int i = 0; i < 30; i++) {
				String sku = "sku-" + i;
				masters.add(cluster.masterForKey("stock:" + sku).port());
				send(http, "PUT", "/stock/" + sku, null, "{\"quantity\":10}").expectStatus().isOk();
				send(http, "POST", "/stock/reduce", "order-" + i, "{\"sku\":\"" + sku + "\",\"quantity\":3}")
					.expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.available")
					.isEqualTo(7);
				send(http, "POST", "/stock/reduce", "order-" + i, "{\"sku\":\"" + sku + "\",\"quantity\":3}")
					.expectStatus()
					.isOk()
					.expectHeader()
					.valueEquals("Idempotent-Replayed", "true");
				send(http, "POST", "/stock/" + sku + "/restock", null, "{\"quantity\":5}").expectStatus().isOk();
				send(http, "GET", "/stock/" + sku, null, null).expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.available")
					.isEqualTo(12);
				RedisServerProcess master = cluster.masterForKey("stock:" + sku);
				assertThat(master.commands().get("stock:" + sku)).isEqualTo("12");
				assertThat(master.commands().exists("stock-service:idempotency:{stock:" + sku + "}:order-" + i))
					.isOne();
			}
			assertThat(masters).hasSize(3);
			send(http, "GET", "/readyz", null, null).expectStatus().isOk();
		}
	}

	static CompletableFuture<LoadRun.Result> idempotentLoad(RunningService service, String sku) {
		return LoadRun.start("--workers", "4", "--stock", Integer.toString(STOCK), "--sku", sku, "--target",
				service.uri().toString(), "--idempotent", "--timeout", "3m");
	}

	static void awaitSales(ClusterTopology cluster, String sku, int sold) {
		await().atMost(Duration.ofMinutes(1)).until(() -> {
			String level = cluster.commands().get("stock:" + sku);
			return level != null && Long.parseLong(level) <= STOCK - sold;
		});
	}

	static void assertEveryUnitSoldExactlyOnce(LoadRun.Result result, ClusterTopology cluster, String sku) {
		logger.info("Load generator:\n{}", result.summary());
		assertThat(result.ok()).as(result.summary()).isTrue();
		assertThat(result.exactlyOnce()).isTrue();
		assertThat(result.successes()).isEqualTo(STOCK);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(cluster.commands().get("stock:" + sku)).isEqualTo("0"));
	}

	/**
	 * The hot SKU's slot, its stock and its records, moved to another master the
	 * documented way while the load goes on: while the keys move the service gets ASK or
	 * TRYAGAIN and retries after a pause, then MOVED sends it to the new owner.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void theHotSkusSlotMigratedUnderLoadSellsEveryUnitExactlyOnce(String strategy) throws Exception {
		try (ClusterTopology cluster = ClusterTopology.start();
				RunningService service = service(cluster, "stock.reduce.strategy=" + strategy)) {
			String sku = "migrating";
			int slot = SlotHash.getSlot("stock:" + sku);
			RedisServerProcess source = cluster.masterForSlot(slot);
			RedisServerProcess target = cluster.masters()
				.stream()
				.filter((master) -> master != source)
				.findFirst()
				.orElseThrow();
			CompletableFuture<LoadRun.Result> load = idempotentLoad(service, sku);
			awaitSales(cluster, sku, 300);

			SlotMigration migration = cluster.beginSlotMigration(slot, target);
			Thread.sleep(200);
			int moved = migration.moveKeys();
			Thread.sleep(200);
			migration.finish();
			logger.info("Slot {} of {} moved from {} to {} with {} keys", slot, sku, source.port(), target.port(),
					moved);

			LoadRun.Result result = load.get(3, TimeUnit.MINUTES);
			assertEveryUnitSoldExactlyOnce(result, cluster, sku);
			assertThat(cluster.masterForSlot(slot).port()).isEqualTo(target.port());
			assertThat(target.commands().get("stock:" + sku)).isEqualTo("0");
		}
	}

	/**
	 * The hot SKU's master killed (SIGKILL) under load: its replica is promoted by the
	 * cluster, and the killed node, started again, rejoins as the new master's replica,
	 * which sales then wait for again.
	 */
	@Test
	void theHotSkusMasterKilledUnderLoadSellsEveryUnitExactlyOnce() throws Exception {
		try (ClusterTopology cluster = ClusterTopology.start(); RunningService service = service(cluster)) {
			String sku = "failing-over";
			RedisServerProcess master = cluster.masterForKey("stock:" + sku);
			CompletableFuture<LoadRun.Result> load = idempotentLoad(service, sku);
			awaitSales(cluster, sku, 300);

			cluster.crash(master);
			RedisServerProcess promoted = cluster.awaitReplicaPromoted(master, Duration.ofSeconds(60));
			cluster.restart(master);

			LoadRun.Result result = load.get(3, TimeUnit.MINUTES);
			assertEveryUnitSoldExactlyOnce(result, cluster, sku);
			assertThat(promoted.commands().get("stock:" + sku)).isEqualTo("0");
		}
	}

	/**
	 * Four SKUs of one hash slot and four of other slots, sold at once by twelve callers:
	 * the service combines claims on SKUs of one slot into shared transactions, never
	 * across slots (a Cluster would refuse those with CROSSSLOT), and each SKU sells
	 * exactly its stock, every request answered 200 or 409 (or 503 contention, which
	 * takes nothing, and is tried again).
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void skusSharingAHashSlotAndOthersSoldAtOnceSellEveryUnitExactlyOnce(String strategy) throws Exception {
		int stock = 40;
		List<String> skus = new ArrayList<>(skusOfOneSlot("shared-", 4));
		skus.addAll(List.of("other-1", "other-2", "other-3", "other-4"));
		try (ClusterTopology cluster = ClusterTopology.start();
				RunningService service = service(cluster, "stock.reduce.strategy=" + strategy)) {
			RestTestClient http = service.http();
			for (String sku : skus) {
				send(http, "PUT", "/stock/" + sku, null, "{\"quantity\":" + stock + "}").expectStatus().isOk();
			}
			Map<String, AtomicInteger> sold = new ConcurrentHashMap<>();
			ExecutorService callers = Executors.newFixedThreadPool(12);
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				SplittableRandom random = new SplittableRandom(i);
				done.add(callers.submit(() -> {
					Set<String> soldOut = new HashSet<>();
					while (soldOut.size() < skus.size()) {
						String sku = skus.get(random.nextInt(skus.size()));
						if (soldOut.contains(sku)) {
							continue;
						}
						var result = send(http, "POST", "/stock/reduce", null,
								"{\"sku\":\"" + sku + "\",\"quantity\":1}")
							.returnResult(String.class);
						int status = result.getStatus().value();
						String body = result.getResponseBody();
						if (status == 200) {
							sold.computeIfAbsent(sku, (key) -> new AtomicInteger()).incrementAndGet();
						}
						else if (status == 409) {
							soldOut.add(sku);
						}
						else {
							assertThat(status).as(body).isEqualTo(503);
							assertThat(body).contains("contention");
						}
					}
					return null;
				}));
			}
			for (Future<?> caller : done) {
				caller.get(2, TimeUnit.MINUTES);
			}
			callers.shutdown();

			for (String sku : skus) {
				assertThat(sold.get(sku)).as(sku).hasValue(stock);
				assertThat(cluster.masterForKey("stock:" + sku).commands().get("stock:" + sku)).as(sku).isEqualTo("0");
			}
		}
	}

	/** SKUs named with the prefix whose stock keys share one hash slot. */
	static List<String> skusOfOneSlot(String prefix, int count) {
		int slot = SlotHash.getSlot("stock:" + prefix + 0);
		List<String> skus = new ArrayList<>(List.of(prefix + 0));
		for (int i = 1; skus.size() < count; i++) {
			if (SlotHash.getSlot("stock:" + prefix + i) == slot) {
				skus.add(prefix + i);
			}
		}
		return skus;
	}

}
