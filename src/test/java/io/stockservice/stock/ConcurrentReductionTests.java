package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.lettuce.core.ScriptOutputType;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten callers drain one SKU at the same time, as the article's ten processes do, or many
 * SKUs at once, as a store's buyers do: every unit is sold exactly once, whichever
 * strategy runs.
 */
class ConcurrentReductionTests {

	static final int CALLERS = 10;

	static final int STOCK = 1_000;

	final TestRedis redis = TestRedis.shared();

	final StockKeys keys = StockKeys.defaults();

	TransactionClient client;

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), CALLERS);
	}

	@AfterEach
	void closeClient() {
		this.lanes.shutdownNow();
		this.client.close();
		this.redis.flush();
	}

	final ExecutorService lanes = Executors.newCachedThreadPool();

	StockReducer reducer(String strategy, boolean combining) {
		return combining ? reducer(strategy, 0) : reducer(strategy);
	}

	/** A reducer that combines claims, up to the given transactions in flight. */
	StockReducer reducer(String strategy, int maxInFlight) {
		return reducer(strategy).combining(this.lanes, 256, maxInFlight);
	}

	StockReducer reducer(String strategy) {
		RetryPolicy retry = new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(20));
		ReduceStrategy chosen = switch (strategy) {
			case "watch" -> new WatchReduceStrategy(this.client.connections(), this.keys, IdempotencyRecords.defaults(),
					Replication.none(), retry, ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			default -> new LuaReduceStrategy(this.client.connections(), this.keys, IdempotencyRecords.defaults(),
					Replication.none(), new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(20)),
					ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		};
		return new StockReducer(chosen, Duration.ofSeconds(10), ReduceListener.NONE);
	}

	@ParameterizedTest(name = "{0}, combining {1}")
	@CsvSource({ "watch, false", "watch, true", "lua, false", "lua, true" })
	void sellsEveryUnitExactlyOnceUnderTenConcurrentCallers(String strategy, boolean combining) throws Exception {
		this.redis.commands().set("stock:hot", Integer.toString(STOCK));
		StockReducer reducer = reducer(strategy, combining);
		ConcurrentLinkedQueue<ReduceOutcome> outcomes = new ConcurrentLinkedQueue<>();
		CyclicBarrier start = new CyclicBarrier(CALLERS);

		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			done.add(callers.submit(() -> {
				start.await();
				// Like the article's worker: reduce until the stock is gone.
				while (true) {
					ReduceOutcome outcome = reducer.reduce("hot", 1);
					outcomes.add(outcome);
					if (outcome instanceof ReduceOutcome.Insufficient) {
						return null;
					}
				}
			}));
		}
		for (Future<?> caller : done) {
			caller.get(60, TimeUnit.SECONDS);
		}
		callers.shutdown();

		List<Long> available = outcomes.stream()
			.filter(ReduceOutcome.Reduced.class::isInstance)
			.map((outcome) -> ((ReduceOutcome.Reduced) outcome).available())
			.toList();
		assertThat(available).hasSize(STOCK);
		assertThat(available).allSatisfy((left) -> assertThat(left).isNotNegative());
		Map<Long, Long> timesSeen = available.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(timesSeen.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, STOCK).boxed().toList());
		assertThat(timesSeen.values()).containsOnly(1L);
		assertThat(this.redis.commands().get("stock:hot")).isEqualTo("0");
	}

	/**
	 * Two instances, each combining the claims of its ten callers on twenty SKUs into
	 * shared transactions: a batch that one instance's write aborts is split and tried
	 * again, and still every unit of every SKU is sold exactly once.
	 */
	@ParameterizedTest(name = "{0} and {1}, {2} in flight")
	@CsvSource({ "watch, watch, 2", "watch, lua, 2", "lua, lua, 2", "watch, watch, 0" })
	void sellsEveryUnitOfTwentySkusExactlyOnceUnderTwoCombiningInstances(String first, String second, int maxInFlight)
			throws Exception {
		int skus = 20;
		int stock = 50;
		stockSkus(skus, stock);
		List<StockReducer> instances = List.of(reducer(first, maxInFlight), reducer(second, maxInFlight));
		ConcurrentLinkedQueue<ReduceOutcome> outcomes = new ConcurrentLinkedQueue<>();
		ExecutorService callers = Executors.newFixedThreadPool(2 * CALLERS);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < 2 * CALLERS; i++) {
			StockReducer instance = instances.get(i % 2);
			SplittableRandom random = new SplittableRandom(i);
			done.add(callers.submit(() -> buyUntilEverySkuIsSoldOut(instance, skus, random, outcomes)));
		}
		for (Future<?> caller : done) {
			caller.get(120, TimeUnit.SECONDS);
		}
		callers.shutdown();

		Map<String, List<Long>> available = availableAfterEachSale(outcomes);
		assertThat(available).hasSize(skus);
		available.forEach((sku, left) -> assertThat(left).as(sku)
			.containsExactlyInAnyOrderElementsOf(LongStream.range(0, stock).boxed().toList()));
		for (int i = 0; i < skus; i++) {
			assertThat(this.redis.commands().get("stock:s" + i)).isEqualTo("0");
		}
	}

	/**
	 * One combining instance sells twenty SKUs to its ten callers while a rival client
	 * takes units of five of them directly, with a check-and-decrement of its own. The
	 * rival's writes abort the combined transactions that hold those SKUs, which are
	 * split and tried again; still no unit is sold twice, each SKU's stock went down by
	 * exactly the units acknowledged to the callers and to the rival, and every SKU sells
	 * out.
	 */
	@ParameterizedTest(name = "{0}, {1} in flight")
	@CsvSource({ "watch, 4", "watch, 0", "lua, 4" })
	void sellsEveryUnitOfTwentySkusExactlyOnceWhileARivalClientTakesUnitsDirectly(String strategy, int maxInFlight)
			throws Exception {
		int skus = 20;
		int stock = 50;
		stockSkus(skus, stock);
		StockReducer reducer = reducer(strategy, maxInFlight);
		ConcurrentLinkedQueue<ReduceOutcome> outcomes = new ConcurrentLinkedQueue<>();
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS + 1);
		Future<Map<String, Long>> rival = callers.submit(() -> takeUntilSoldOut(List.of("s0", "s1", "s2", "s3", "s4")));
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			SplittableRandom random = new SplittableRandom(i);
			done.add(callers.submit(() -> buyUntilEverySkuIsSoldOut(reducer, skus, random, outcomes)));
		}
		for (Future<?> caller : done) {
			caller.get(120, TimeUnit.SECONDS);
		}
		Map<String, Long> takenByRival = rival.get(120, TimeUnit.SECONDS);
		callers.shutdown();

		Map<String, List<Long>> available = availableAfterEachSale(outcomes);
		for (int i = 0; i < skus; i++) {
			String sku = "s" + i;
			List<Long> left = available.getOrDefault(sku, List.of());
			assertThat(left).as(sku).doesNotHaveDuplicates().allSatisfy((units) -> assertThat(units).isNotNegative());
			assertThat(left.size() + takenByRival.getOrDefault(sku, 0L)).as(sku).isEqualTo(stock);
			assertThat(this.redis.commands().get("stock:" + sku)).as(sku).isEqualTo("0");
		}
		assertThat(takenByRival.values().stream().mapToLong(Long::longValue).sum()).isPositive();
	}

	/** Stocks SKUs {@code s0} to {@code s<skus - 1>} with {@code stock} units each. */
	private void stockSkus(int skus, int stock) {
		for (int i = 0; i < skus; i++) {
			this.redis.commands().set("stock:s" + i, Integer.toString(stock));
		}
	}

	/**
	 * Buys a unit of a SKU at random until it has seen every SKU sold out, collecting
	 * every outcome.
	 */
	private static Void buyUntilEverySkuIsSoldOut(StockReducer reducer, int skus, SplittableRandom random,
			Queue<ReduceOutcome> outcomes) {
		Set<String> soldOut = new HashSet<>();
		while (soldOut.size() < skus) {
			String sku = "s" + random.nextInt(skus);
			if (soldOut.contains(sku)) {
				continue;
			}
			ReduceOutcome outcome = reducer.reduce(sku, 1);
			outcomes.add(outcome);
			if (outcome instanceof ReduceOutcome.Insufficient) {
				soldOut.add(sku);
			}
		}
		return null;
	}

	/** What each sale left of its SKU, by SKU. */
	private static Map<String, List<Long>> availableAfterEachSale(Collection<ReduceOutcome> outcomes) {
		return outcomes.stream()
			.filter(ReduceOutcome.Reduced.class::isInstance)
			.map(ReduceOutcome.Reduced.class::cast)
			.collect(Collectors.groupingBy(ReduceOutcome::sku,
					Collectors.mapping(ReduceOutcome.Reduced::available, Collectors.toList())));
	}

	/**
	 * Takes one unit at a time of the SKUs, in turn, with an atomic check-and-decrement,
	 * until none is left of any.
	 * @return the units taken of each SKU
	 */
	private Map<String, Long> takeUntilSoldOut(List<String> skus) {
		String take = "local left = tonumber(redis.call('GET', KEYS[1]) or '0') "
				+ "if left > 0 then redis.call('DECR', KEYS[1]) return 1 end return 0";
		Map<String, Long> taken = new HashMap<>();
		Set<String> soldOut = new HashSet<>();
		while (soldOut.size() < skus.size()) {
			for (String sku : skus) {
				Long got = this.redis.commands().eval(take, ScriptOutputType.INTEGER, "stock:" + sku);
				if (got == 1) {
					taken.merge(sku, 1L, Long::sum);
				}
				else {
					soldOut.add(sku);
				}
			}
		}
		return taken;
	}

}
