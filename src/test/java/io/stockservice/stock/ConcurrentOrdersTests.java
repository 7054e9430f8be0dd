package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight clients at once place random orders of two to four SKUs over six scarce SKUs (20
 * units each, orders of 1 to 3 units an item), until none of their orders fits any more:
 * never is more sold of a SKU than it had, and every order is all or nothing, so that for
 * each SKU the units the acknowledged orders took are exactly the units it lost, and the
 * stock each order saw left of a SKU was seen by no other. On one Redis an order is one
 * transaction; with the SKUs in their cluster slots ({@link ClusterSlots}) it is one hold
 * per slot, the anchor born confirmed.
 */
class ConcurrentOrdersTests {

	static final List<String> SKUS = List.of("a", "b", "c", "d", "e", "f");

	static final int CLIENTS = 8;

	static final long STOCK = 20;

	final TestRedis redis = TestRedis.shared();

	/**
	 * Keys in a namespace of this test's own: the service instances other test classes
	 * leave running on the shared Redis sweep the default namespace's list of holds due,
	 * and would expire this test's holds before it could.
	 */
	final StockKeys keys = new StockKeys(StockKeys.DEFAULT_STOCK_PREFIX, "stock-service-test:");

	final HoldSettings settings = new HoldSettings(this.keys, Duration.ofHours(1), Duration.ofMinutes(10),
			Replication.none(), new RetryPolicy(100, Duration.ofMillis(1), Duration.ofMillis(20)));

	TransactionClient client;

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 2 * CLIENTS);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	StockReducer reducer(String strategy, boolean slots) {
		RedisSessions sessions = slots ? new ClusterSlots(this.client.connections()) : this.client.connections();
		IdempotencyRecords records = IdempotencyRecords.defaults();
		ReduceStrategy reductions = strategy.equals("watch")
				? new WatchReduceStrategy(sessions, this.keys, records, Replication.none(), this.settings.retry(),
						ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
				: new LuaReduceStrategy(sessions, this.keys, records, Replication.none(), this.settings.retry(),
						ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		HoldStrategy holds = strategy.equals("watch")
				? new WatchHoldStrategy(sessions, this.settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
				: new LuaHoldStrategy(sessions, this.settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		SpanningOrders spanning = new SpanningOrders(sessions, this.settings, holds,
				new HoldsDue(sessions, this.keys, Replication.none()), Duration.ofSeconds(30));
		return new StockReducer(reductions, Duration.ofSeconds(30), ReduceListener.NONE).spanning(spanning);
	}

	@ParameterizedTest(name = "{0}, cluster slots: {1}")
	@CsvSource({ "watch, false", "lua, false", "watch, true", "lua, true" })
	void neverSellsMoreThanAnySkuHadAndEveryOrderIsAllOrNothing(String strategy, boolean slots) throws Exception {
		SKUS.forEach((sku) -> this.redis.commands().set(this.keys.stock(sku), Long.toString(STOCK)));
		StockReducer reducer = reducer(strategy, slots);
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
		List<ReduceOutcome.Reduced> sold = new ArrayList<>();
		try {
			CyclicBarrier together = new CyclicBarrier(CLIENTS);
			List<Future<List<ReduceOutcome.Reduced>>> clients = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				long seed = i;
				clients.add(threads.submit(() -> {
					ReduceStrategyContractTests.awaitOthers(together);
					return placeOrdersUntilNoneFits(reducer, new SplittableRandom(seed));
				}));
			}
			for (Future<List<ReduceOutcome.Reduced>> client : clients) {
				sold.addAll(client.get(3, TimeUnit.MINUTES));
			}
		}
		finally {
			threads.shutdownNow();
		}

		Map<String, Long> taken = new HashMap<>();
		Map<String, Set<Long>> seen = new HashMap<>();
		for (ReduceOutcome.Reduced order : sold) {
			for (ReduceOutcome.Line line : order.lines()) {
				taken.merge(line.sku(), line.reduced(), Long::sum);
				assertThat(line.available()).as("stock left of %s", line.sku()).isNotNegative();
				boolean first = seen.computeIfAbsent(line.sku(), (sku) -> new HashSet<>()).add(line.available());
				if (!slots) {
					assertThat(first)
						.as("the stock left of %s, %d, was seen by one order only", line.sku(), line.available())
						.isTrue();
				}
			}
		}
		for (String sku : SKUS) {
			long left = Long.parseLong(this.redis.commands().get(this.keys.stock(sku)));
			assertThat(left).as("stock of %s", sku).isNotNegative();
			assertThat(taken.getOrDefault(sku, 0L)).as("units of %s the acknowledged orders took", sku)
				.isEqualTo(STOCK - left);
		}
		assertThat(sold).as("orders sold").hasSizeGreaterThan(5);
		assertThat(this.redis.commands().keys(this.keys.namespace() + "reserved:*")).as("units left reserved")
			.isEmpty();
	}

	/** Random orders until 20 in a row did not fit: by then the SKUs are nearly gone. */
	private static List<ReduceOutcome.Reduced> placeOrdersUntilNoneFits(StockReducer reducer, SplittableRandom random) {
		List<ReduceOutcome.Reduced> sold = new ArrayList<>();
		for (int refusedInARow = 0; refusedInARow < 20;) {
			List<String> skus = new ArrayList<>(SKUS);
			java.util.Collections.shuffle(skus, new java.util.Random(random.nextLong()));
			List<Item> items = new ArrayList<>();
			for (String sku : skus.subList(0, random.nextInt(2, 5))) {
				items.add(new Item(sku, random.nextInt(1, 4)));
			}
			ReduceOutcome outcome = reducer.reduce(new Claim(items, null));
			if (outcome instanceof ReduceOutcome.Reduced reduced) {
				assertThat(reduced.lines()).extracting(ReduceOutcome.Line::sku)
					.containsExactlyElementsOf(items.stream().map(Item::sku).toList());
				sold.add(reduced);
				refusedInARow = 0;
			}
			else {
				assertThat(outcome).isInstanceOfAny(ReduceOutcome.Insufficient.class, ReduceOutcome.Contention.class);
				refusedInARow++;
			}
		}
		return sold;
	}

}
