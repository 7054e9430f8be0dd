package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.ReduceOutcome.Line;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders whose SKUs lie in different hash slots, carried out through the service's
 * reducer as short reservations (one hold per slot, the anchor born confirmed), against a
 * real Redis whose sessions tell cluster slots ({@link ClusterSlots}): the client sees
 * all or nothing, and a keyed order is taken once however its retries race.
 */
abstract class SpanningOrdersContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> redisCli = this.redis.commands();

	/**
	 * Keys in a namespace of this test's own: the service instances other test classes
	 * leave running on the shared Redis sweep the default namespace's list of holds due,
	 * and would expire this test's holds before it could.
	 */
	final StockKeys keys = new StockKeys(StockKeys.DEFAULT_STOCK_PREFIX, "stock-service-test:");

	final HoldSettings settings = new HoldSettings(this.keys, Duration.ofHours(1), Duration.ofMinutes(10),
			Replication.none(), new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(10)));

	TransactionClient client;

	StockReducer reducer;

	abstract HoldStrategy holds(RedisSessions sessions, HoldSettings settings);

	abstract ReduceStrategy reductions(RedisSessions sessions);

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 16);
		RedisSessions sessions = new ClusterSlots(this.client.connections());
		HoldsDue due = new HoldsDue(sessions, this.keys, Replication.none());
		SpanningOrders orders = new SpanningOrders(sessions, this.settings, holds(sessions, this.settings), due,
				Duration.ofSeconds(10));
		this.reducer = new StockReducer(reductions(sessions), TIMEOUT, ReduceListener.NONE).spanning(orders);
	}

	@AfterEach
	void closeClient() {
		assertThat(this.client.leased()).as("sessions still leased").isZero();
		this.client.close();
		this.redis.flush();
	}

	void stock(String sku, long level) {
		this.redisCli.set(this.keys.stock(sku), Long.toString(level));
	}

	List<String> available(String... skus) {
		return List.of(skus).stream().map((sku) -> this.redisCli.get(this.keys.stock(sku))).toList();
	}

	static Claim order(String key, Object... skuAndQuantity) {
		return new Claim(HoldStrategyContractTests.items(skuAndQuantity), key);
	}

	long dueEntries() {
		long entries = 0;
		for (int shard = 0; shard < HoldsDue.SHARDS; shard++) {
			entries += this.redisCli.zcard(this.keys.holdsDue(shard));
		}
		return entries;
	}

	@Test
	void anOrderAcrossSlotsTakesEveryItemAndHoldsNothingAfterwards() {
		stock("a", 10);
		stock("b", 5);
		stock("c", 3);

		ReduceOutcome outcome = this.reducer.reduce(order(null, "c", 1, "a", 4, "b", 5));

		assertThat(outcome).isEqualTo(
				new ReduceOutcome.Reduced(List.of(new Line("c", 1, 2), new Line("a", 4, 6), new Line("b", 5, 0)), 1));
		assertThat(available("a", "b", "c")).containsExactly("6", "0", "2");
		assertThat(this.redisCli.keys(this.keys.namespace() + "reserved:*")).isEmpty();
		assertThat(this.redisCli.keys(this.keys.namespace() + "hold:*"))
			.allSatisfy((key) -> assertThat(this.redisCli.hget(key, "state")).isEqualTo("confirmed"));
		assertThat(dueEntries()).isZero();
	}

	@Test
	void anOrderAcrossSlotsWithAShortItemTakesNothingAnywhereAndNamesEveryShortItem() {
		stock("a", 10);
		stock("b", 1);
		stock("c", 0);

		ReduceOutcome outcome = this.reducer.reduce(order(null, "a", 4, "b", 2, "c", 1));

		assertThat(outcome).isEqualTo(new ReduceOutcome.Insufficient(
				List.of(new ReduceOutcome.Shortage("b", 2, 1), new ReduceOutcome.Shortage("c", 1, 0)), 1));
		assertThat(available("a", "b", "c")).containsExactly("10", "1", "0");
		assertThat(this.redisCli.keys(this.keys.namespace() + "reserved:*")).isEmpty();
		assertThat(dueEntries()).isZero();
	}

	@Test
	void anOrderAcrossSlotsNamingASkuWithoutStockTakesNothing() {
		stock("a", 10);

		assertThat(this.reducer.reduce(order(null, "a", 1, "b", 1))).isEqualTo(new ReduceOutcome.UnknownSku("b", 1));
		assertThat(available("a")).containsExactly("10");
	}

	@Test
	void aKeyedOrderAcrossSlotsIsReplayedAndAnotherOrderWithItsKeyIsRefused() {
		stock("a", 10);
		stock("b", 5);
		ReduceOutcome first = this.reducer.reduce(order("order-1", "a", 4, "b", 1));

		ReduceOutcome retry = this.reducer.reduce(order("order-1", "a", 4, "b", 1));
		ReduceOutcome other = this.reducer.reduce(order("order-1", "a", 4, "b", 2));

		assertThat(retry).isEqualTo(new ReduceOutcome.Replayed(first, 1));
		assertThat(other).isInstanceOf(ReduceOutcome.KeyReused.class);
		assertThat(available("a", "b")).containsExactly("6", "4");
		assertThat(this.redisCli.get(this.keys.record("a", "order-1"))).isEqualTo("R|1|a 4 6|b 1 4");
	}

	@Test
	void aKeyedRefusalAcrossSlotsIsReplayedEvenAfterARestock() {
		stock("a", 10);
		stock("b", 0);
		ReduceOutcome first = this.reducer.reduce(order("order-2", "a", 4, "b", 2));
		stock("b", 50);

		assertThat(this.reducer.reduce(order("order-2", "a", 4, "b", 2)))
			.isEqualTo(new ReduceOutcome.Replayed(first, 1));
		assertThat(available("a", "b")).containsExactly("10", "50");
	}

	@Test
	void concurrentRetriesOfOneKeyedOrderAcrossSlotsTakeItExactlyOnce() {
		stock("a", 100);
		stock("b", 100);
		int retries = 8;
		ExecutorService threads = Executors.newFixedThreadPool(retries);
		List<ReduceOutcome> outcomes;
		try {
			CyclicBarrier together = new CyclicBarrier(retries);
			outcomes = IntStream.range(0, retries).mapToObj((i) -> CompletableFuture.supplyAsync(() -> {
				ReduceStrategyContractTests.awaitOthers(together);
				return this.reducer.reduce(order("order-3", "a", 5, "b", 3));
			}, threads)).toList().stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(outcomes).filteredOn(ReduceOutcome.Reduced.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(ReduceOutcome.Replayed.class::isInstance).hasSize(retries - 1);
		assertThat(available("a", "b")).containsExactly("95", "97");
		assertThat(this.redisCli.keys(this.keys.namespace() + "reserved:*")).isEmpty();
	}

	@Test
	void anOrderWithinOneSlotIsOneTransactionOfTheReduceStrategy() {
		stock("a", 10);
		stock("{a}x", 0);

		assertThat(this.reducer.reduce(order(null, "a", 1))).isInstanceOf(ReduceOutcome.Reduced.class);
		assertThat(this.redisCli.keys(this.keys.namespace() + "hold:*")).as("no hold for an order of one slot")
			.isEmpty();
	}

}
