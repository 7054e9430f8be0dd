package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten callers drain one SKU at the same time, as the article's ten processes do: every
 * unit is sold exactly once, whichever strategy runs.
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
		RetryPolicy retry = new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(20));
		ReduceStrategy chosen = switch (strategy) {
			case "watch" -> new WatchReduceStrategy(this.client.connections(), this.keys, IdempotencyRecords.defaults(),
					Replication.none(), retry, ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			default -> new LuaReduceStrategy(this.client.connections(), this.keys, IdempotencyRecords.defaults(),
					Replication.none(), new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(20)),
					ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		};
		StockReducer reducer = new StockReducer(chosen, Duration.ofSeconds(10), ReduceListener.NONE);
		return combining ? reducer.combining(this.lanes, 256) : reducer;
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

}
