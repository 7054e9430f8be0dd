package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property of random plans, each drawn from a seed: rounds in which an operator may set
 * each SKU's level, then several clients at once run random sequences of reductions (some
 * with an Idempotency-Key, some of those retried) and restocks, through two instances of
 * the service's reducer (one WATCH, one Lua, both combining) and {@link StockLevels}, on
 * one real Redis. After every round the stock must match a simple model: never negative,
 * and level = level before + units restocked - units reduced, counting only acknowledged
 * operations and each keyed reduction once.
 * <p>
 * Sets come between bursts, as an operator's PUT would: a set that lands among concurrent
 * reductions overwrites them by design, so no conservation law spans it.
 * <p>
 * Each run draws fresh seeds; a failure names its seed, and
 * {@code ./mvnw test -Dtest=StockModelPropertyTests -Dstock.property.seeds=<seed>} runs
 * that plan again (its interleaving is the scheduler's). Written with JUnit itself rather
 * than jqwik: see the commit that added it.
 */
class StockModelPropertyTests {

	static final List<String> SKUS = List.of("a", "b");

	static final int PLANS = 20;

	final TestRedis redis = TestRedis.shared();

	final StockKeys keys = StockKeys.defaults();

	final ExecutorService combiners = Executors.newCachedThreadPool();

	TransactionClient client;

	List<StockReducer> instances;

	StockLevels levels;

	static Stream<Long> seeds() {
		String chosen = System.getProperty("stock.property.seeds");
		if (chosen != null && !chosen.isBlank()) {
			return Stream.of(chosen.split(",")).map(String::trim).map(Long::parseLong);
		}
		SplittableRandom random = new SplittableRandom();
		return LongStream.range(0, PLANS).mapToObj((i) -> random.nextLong());
	}

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 8);
		IdempotencyRecords records = IdempotencyRecords.defaults();
		RetryPolicy retry = new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(20));
		ReduceStrategy watch = new WatchReduceStrategy(this.client.connections(), this.keys, records,
				Replication.none(), retry, ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		ReduceStrategy lua = new LuaReduceStrategy(this.client.connections(), this.keys, records, Replication.none(),
				new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(20)), ReduceListener.NONE, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
		this.instances = List.of(
				new StockReducer(watch, Duration.ofSeconds(10), ReduceListener.NONE).combining(this.combiners, 256, 4),
				new StockReducer(lua, Duration.ofSeconds(10), ReduceListener.NONE).combining(this.combiners, 256, 4));
		this.levels = new StockLevels(this.client.connections(), this.keys, Duration.ofSeconds(10));
	}

	@AfterEach
	void closeClient() {
		this.combiners.shutdownNow();
		this.client.close();
		this.redis.flush();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void stockIsNeverNegativeAndEveryAcknowledgedUnitIsAccountedFor(long seed) throws Exception {
		Plan plan = Plan.draw(seed);
		Map<String, Long> model = new HashMap<>();
		for (int round = 0; round < plan.rounds().size(); round++) {
			Round current = plan.rounds().get(round);
			current.sets().forEach((sku, level) -> {
				this.levels.set(sku, level);
				model.put(sku, level);
			});
			List<List<Done>> results = runConcurrently(current.clients());
			String context = "seed " + seed + ", round " + round + "; rerun with -Dstock.property.seeds=" + seed
					+ "; plan: " + plan;
			for (List<Done> client : results) {
				for (Done done : client) {
					model.merge(done.op().sku(), done.change(context), Long::sum);
				}
			}
			for (String sku : SKUS) {
				long level = this.levels.get(sku).orElseThrow();
				assertThat(level).as("level of %s, %s", sku, context).isNotNegative().isEqualTo(model.get(sku));
			}
		}
	}

	List<List<Done>> runConcurrently(List<List<Op>> clients) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(clients.size());
		try {
			List<Future<List<Done>>> running = new ArrayList<>();
			for (int i = 0; i < clients.size(); i++) {
				StockReducer instance = this.instances.get(i % this.instances.size());
				List<Op> ops = clients.get(i);
				running.add(threads.submit(() -> run(instance, ops)));
			}
			List<List<Done>> results = new ArrayList<>();
			for (Future<List<Done>> client : running) {
				results.add(client.get(2, TimeUnit.MINUTES));
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

	List<Done> run(StockReducer instance, List<Op> ops) {
		List<Done> done = new ArrayList<>();
		Map<String, ReduceOutcome> firstAnswers = new LinkedHashMap<>();
		for (Op op : ops) {
			if (op.restock()) {
				done.add(new Done(op, this.levels.restock(op.sku(), op.quantity()), null));
				continue;
			}
			ReduceOutcome outcome = instance.reduce(new Claim(List.of(new Item(op.sku(), op.quantity())), op.key()));
			ReduceOutcome first = (op.key() != null) ? firstAnswers.get(op.key()) : null;
			done.add(new Done(op, outcome, first));
			if (op.key() != null && first == null && !(outcome instanceof ReduceOutcome.Contention)) {
				firstAnswers.put(op.key(), outcome);
			}
		}
		return done;
	}

	/** One operation, how it ended, and for a retry the first answer to its key. */
	record Done(Op op, Object outcome, ReduceOutcome firstAnswer) {

		/** What the operation did to the stock, as the model counts it. */
		long change(String context) {
			if (this.outcome instanceof StockLevels.Restock.Restocked restocked) {
				assertThat(restocked.available()).as(context).isBetween(this.op.quantity(), StockLevel.MAX);
				return this.op.quantity();
			}
			if (this.outcome instanceof ReduceOutcome.Replayed replayed) {
				assertThat(replayed.original()).as("replay of %s, %s", this.op, context).isEqualTo(this.firstAnswer);
				return 0;
			}
			assertThat(this.firstAnswer).as("a retry that was not replayed: %s, %s", this.op, context).isNull();
			if (this.outcome instanceof ReduceOutcome.Reduced reduced) {
				assertThat(reduced.reduced()).as(context).isEqualTo(this.op.quantity());
				assertThat(reduced.available()).as(context).isNotNegative();
				return -this.op.quantity();
			}
			if (this.outcome instanceof ReduceOutcome.Insufficient insufficient) {
				assertThat(insufficient.available()).as(context).isNotNegative().isLessThan(this.op.quantity());
				return 0;
			}
			assertThat(this.outcome).as(context).isInstanceOf(ReduceOutcome.Contention.class);
			return 0;
		}

	}

	/**
	 * A reduction (with its Idempotency-Key, or {@code null}) or a restock of
	 * {@code quantity} units.
	 */
	record Op(boolean restock, String sku, long quantity, String key) {

		@Override
		public String toString() {
			return (this.restock ? "restock " : "reduce ") + this.sku + " " + this.quantity
					+ ((this.key != null) ? " [" + this.key + "]" : "");
		}

	}

	/** The levels an operator sets, then what each client does, all at once. */
	record Round(Map<String, Long> sets, List<List<Op>> clients) {

	}

	record Plan(long seed, List<Round> rounds) {

		static Plan draw(long seed) {
			SplittableRandom random = new SplittableRandom(seed);
			List<Round> rounds = new ArrayList<>();
			int keys = 0;
			for (int round = random.nextInt(3, 9); round > 0; round--) {
				Map<String, Long> sets = new LinkedHashMap<>();
				for (String sku : SKUS) {
					if (rounds.isEmpty() || random.nextInt(3) == 0) {
						sets.put(sku, (long) random.nextInt(0, 40));
					}
				}
				List<List<Op>> clients = new ArrayList<>();
				for (int client = random.nextInt(2, 6); client > 0; client--) {
					List<Op> ops = new ArrayList<>();
					for (int op = random.nextInt(1, 25); op > 0; op--) {
						String sku = SKUS.get(random.nextInt(SKUS.size()));
						long quantity = random.nextInt(1, 6);
						int kind = random.nextInt(10);
						if (kind < 3) {
							ops.add(new Op(true, sku, quantity, null));
						}
						else if (kind < 6) {
							ops.add(new Op(false, sku, quantity, null));
						}
						else {
							Op keyed = new Op(false, sku, quantity, "plan-" + seed + "-" + keys++);
							ops.add(keyed);
							if (random.nextBoolean()) {
								ops.add(keyed);
							}
						}
					}
					clients.add(ops);
				}
				rounds.add(new Round(sets, clients));
			}
			return new Plan(seed, rounds);
		}

	}

}
