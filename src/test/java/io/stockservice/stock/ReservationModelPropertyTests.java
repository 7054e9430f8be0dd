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
 * A property of random plans, each drawn from a seed: rounds in which several clients at
 * once hold (some briefly, so that they expire; some with an Idempotency-Key, retried),
 * confirm and release their holds, reduce and order (some keyed, retried), restock, and
 * sweep, through two instances (one WATCH, one Lua, each with its own sweeper running
 * throughout) on one real Redis whose SKUs lie in different cluster slots
 * ({@link ClusterSlots}), so that holds and orders span parts. After every round, once
 * the brief holds' time has run out and the sweepers have caught up, Redis must match a
 * model built only from the answers the clients got: for each SKU,
 * {@code available + reserved + sold = supplied}, {@code reserved} is what the holds
 * still held hold, nothing is negative, and every hold ended the way its answers said.
 * <p>
 * {@code ./mvnw test -Dtest=ReservationModelPropertyTests -Dstock.property.seeds=<seed>}
 * runs a failing plan again (its interleaving is the scheduler's).
 */
class ReservationModelPropertyTests {

	static final List<String> SKUS = List.of("a", "b", "c");

	static final int PLANS = 12;

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	final TestRedis redis = TestRedis.shared();

	/**
	 * Keys in a namespace of this test's own: the service instances other test classes
	 * leave running on the shared Redis sweep the default namespace's list of holds due,
	 * and would expire this test's holds before it could.
	 */
	final StockKeys keys = new StockKeys(StockKeys.DEFAULT_STOCK_PREFIX, "stock-service-test:");

	final HoldSettings settings = new HoldSettings(this.keys, Duration.ofHours(1), Duration.ofHours(1),
			Replication.none(), new RetryPolicy(100, Duration.ofMillis(1), Duration.ofMillis(20)));

	final ExecutorService background = Executors.newCachedThreadPool();

	TransactionClient client;

	List<Instance> instances;

	volatile boolean sweeping;

	static Stream<Long> seeds() {
		String chosen = System.getProperty("stock.property.seeds");
		if (chosen != null && !chosen.isBlank()) {
			return Stream.of(chosen.split(",")).map(String::trim).map(Long::parseLong);
		}
		SplittableRandom random = new SplittableRandom();
		return LongStream.range(0, PLANS).mapToObj((i) -> random.nextLong());
	}

	@BeforeEach
	void startTwoInstances() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 24);
		RedisSessions sessions = new ClusterSlots(this.client.connections());
		this.instances = List.of(Instance.of(sessions, this.settings, true, this.background),
				Instance.of(sessions, this.settings, false, this.background));
		this.sweeping = true;
		for (Instance instance : this.instances) {
			this.background.submit(() -> {
				while (this.sweeping) {
					instance.sweeper().sweep();
					Thread.sleep(30);
				}
				return null;
			});
		}
	}

	@AfterEach
	void stop() {
		this.sweeping = false;
		this.background.shutdownNow();
		this.client.close();
		this.redis.flush();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void availablePlusReservedPlusSoldIsConservedAndEveryHoldEndsAsItsAnswersSay(long seed) throws Exception {
		Plan plan = Plan.draw(seed);
		Model model = new Model();
		StockLevels levels = this.instances.get(0).levels();
		SKUS.forEach((sku) -> {
			levels.set(sku, 30);
			model.supplied.put(sku, 30L);
		});
		for (int round = 0; round < plan.rounds().size(); round++) {
			String context = "seed " + seed + ", round " + round + "; rerun with -Dstock.property.seeds=" + seed;
			List<Future<List<Client.Done>>> running = new ArrayList<>();
			ExecutorService threads = Executors.newFixedThreadPool(plan.rounds().get(round).size());
			try {
				List<List<Op>> clients = plan.rounds().get(round);
				for (int i = 0; i < clients.size(); i++) {
					Client client = new Client(this.instances.get(i % 2), model);
					List<Op> ops = clients.get(i);
					running.add(threads.submit(() -> client.run(ops)));
				}
				for (Future<List<Client.Done>> client : running) {
					client.get(2, TimeUnit.MINUTES).forEach((done) -> model.account(done, context));
				}
			}
			finally {
				threads.shutdownNow();
			}
			settleBriefHolds(model, context);
			check(model, context);
		}
	}

	/** Waits until every brief hold's time has run out and the sweepers have ended it. */
	void settleBriefHolds(Model model, String context) throws InterruptedException {
		long latest = model.holds.values()
			.stream()
			.filter(Model.HoldRecord::brief)
			.mapToLong((hold) -> hold.reservation().expiresAt())
			.max()
			.orElse(0);
		long deadline = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < deadline) {
			if (System.currentTimeMillis() > latest + 50) {
				List<HoldState> states = model.holds.values()
					.stream()
					.map((hold) -> this.instances.get(0)
						.reservations()
						.get(hold.reservation().id())
						.orElseThrow()
						.state())
					.toList();
				long held = states.stream().filter((state) -> state == HoldState.HELD).count();
				boolean briefEnded = model.holds.values()
					.stream()
					.filter(Model.HoldRecord::brief)
					.allMatch((hold) -> states.get(List.copyOf(model.holds.values()).indexOf(hold)).ended());
				// Only holds still held keep an entry in the list of holds due.
				if (briefEnded && dueEntries() == held) {
					return;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("brief holds not expired within 10 s of their time, " + context);
	}

	long dueEntries() {
		long entries = 0;
		for (int shard = 0; shard < HoldsDue.SHARDS; shard++) {
			entries += this.redis.commands().zcard(this.keys.holdsDue(shard));
		}
		return entries;
	}

	void check(Model model, String context) {
		Map<String, Long> reserved = new HashMap<>();
		Map<String, Long> sold = new HashMap<>(model.reduced);
		for (Model.HoldRecord hold : model.holds.values()) {
			Reservation now = this.instances.get(1).reservations().get(hold.reservation().id()).orElseThrow();
			if (hold.answered() != null) {
				assertThat(now.state()).as("state of %s after answer %s, %s", now.id(), hold.answered(), context)
					.isEqualTo(hold.answered());
			}
			else {
				assertThat(now.state()).as("untouched hold %s, %s", now.id(), context)
					.isEqualTo(hold.brief() ? HoldState.EXPIRED : HoldState.HELD);
			}
			Map<String, Long> into = switch (now.state()) {
				case HELD -> reserved;
				case CONFIRMED -> sold;
				default -> null;
			};
			if (into != null) {
				now.items().forEach((item) -> into.merge(item.sku(), item.quantity(), Long::sum));
			}
		}
		for (String sku : SKUS) {
			long available = Long.parseLong(this.redis.commands().get(this.keys.stock(sku)));
			String raw = this.redis.commands().get(this.keys.reserved(sku));
			long inRedis = (raw != null) ? Long.parseLong(raw) : 0;
			assertThat(available).as("available of %s, %s", sku, context).isNotNegative();
			assertThat(inRedis).as("reserved of %s, %s", sku, context).isEqualTo(reserved.getOrDefault(sku, 0L));
			assertThat(available + inRedis + sold.getOrDefault(sku, 0L))
				.as("available + reserved + sold of %s, %s", sku, context)
				.isEqualTo(model.supplied.get(sku));
		}
	}

	/** One instance of the service's stock layer, as the service wires it. */
	record Instance(StockReducer reducer, Reservations reservations, HoldSweeper sweeper, StockLevels levels) {

		static Instance of(RedisSessions sessions, HoldSettings settings, boolean watch, ExecutorService combiners) {
			IdempotencyRecords records = IdempotencyRecords.defaults();
			ReduceStrategy reductions = watch
					? new WatchReduceStrategy(sessions, settings.keys(), records, Replication.none(), settings.retry(),
							ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
					: new LuaReduceStrategy(sessions, settings.keys(), records, Replication.none(), settings.retry(),
							ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			HoldStrategy holds = watch
					? new WatchHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
					: new LuaHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			HoldsDue due = new HoldsDue(sessions, settings.keys(), Replication.none());
			StockReducer reducer = new StockReducer(reductions, TIMEOUT, ReduceListener.NONE)
				.spanning(new SpanningOrders(sessions, settings, holds, due, Duration.ofSeconds(30)))
				.combining(combiners, 64, 4);
			return new Instance(reducer, new Reservations(sessions, settings, holds, due, HoldListener.NONE, TIMEOUT),
					new HoldSweeper(due, holds, HoldListener.NONE, 50, TIMEOUT),
					new StockLevels(sessions, settings.keys(), TIMEOUT));
		}

	}

	/**
	 * What the clients were told: units supplied and reduced, and every hold with the
	 * state its last definitive answer gave it.
	 */
	static final class Model {

		final Map<String, Long> supplied = new HashMap<>();

		final Map<String, Long> reduced = new HashMap<>();

		final Map<String, HoldRecord> holds = new LinkedHashMap<>();

		synchronized void account(Client.Done done, String context) {
			Object outcome = done.outcome();
			if (outcome instanceof StockLevels.Restock.Restocked) {
				this.supplied.merge(done.op().items().get(0).sku(), done.op().items().get(0).quantity(), Long::sum);
			}
			else if (outcome instanceof ReduceOutcome.Reduced reduced) {
				reduced.lines().forEach((line) -> {
					assertThat(line.available()).as(context).isNotNegative();
					this.reduced.merge(line.sku(), line.reduced(), Long::sum);
				});
			}
			else if (outcome instanceof ReservationOutcome.Held held && !held.replayed()) {
				assertThat(this.holds.put(held.reservation().id(),
						new HoldRecord(held.reservation(), done.op().brief(), null)))
					.as("a second hold with one id, %s", context)
					.isNull();
			}
			else if (outcome instanceof HoldEnding.Ended ended) {
				HoldRecord hold = this.holds.get(ended.reservation().id());
				HoldState state = ended.reservation().state();
				if (hold.answered() != null) {
					assertThat(state).as("a second answer for %s, %s", hold.reservation().id(), context)
						.isEqualTo(hold.answered());
				}
				this.holds.put(hold.reservation().id(), new HoldRecord(hold.reservation(), hold.brief(), state));
			}
		}

		/**
		 * @param answered the state a confirm or release answered, or {@code null} if
		 * none did
		 */
		record HoldRecord(Reservation reservation, boolean brief, HoldState answered) {
		}

	}

	/** One client: runs its ops in order, remembering its holds and first answers. */
	static final class Client {

		private final Instance instance;

		private final Model model;

		private final List<Reservation> mine = new ArrayList<>();

		private final Map<String, Object> firstAnswers = new HashMap<>();

		Client(Instance instance, Model model) {
			this.instance = instance;
			this.model = model;
		}

		List<Done> run(List<Op> ops) {
			List<Done> done = new ArrayList<>();
			for (Op op : ops) {
				Object outcome = switch (op.kind()) {
					case REDUCE -> this.instance.reducer().reduce(new Claim(op.items(), op.key()));
					case RESTOCK ->
						this.instance.levels().restock(op.items().get(0).sku(), op.items().get(0).quantity());
					case HOLD -> this.instance.reservations()
						.create(op.items(), op.brief() ? Duration.ofMillis(op.pick() % 250 + 150) : Duration.ofHours(1),
								op.key());
					case CONFIRM -> end(op, true);
					case RELEASE -> end(op, false);
					case SWEEP -> this.instance.sweeper().sweep();
				};
				if (outcome == null) {
					continue;
				}
				checkReplay(op, outcome);
				if (outcome instanceof ReservationOutcome.Held held) {
					this.mine.add(held.reservation());
				}
				done.add(new Done(op, outcome));
			}
			return done;
		}

		private Object end(Op op, boolean confirm) {
			if (this.mine.isEmpty()) {
				return null;
			}
			String id = this.mine.get(op.pick() % this.mine.size()).id();
			return confirm ? this.instance.reservations().confirm(id) : this.instance.reservations().release(id);
		}

		/**
		 * A retry with a key gets the first definitive answer again, and a replay takes
		 * nothing. A 503 (contention: every attempt lost, or a hold that could not be
		 * made before its own time ran out) took nothing and is not recorded: its retry
		 * runs afresh.
		 */
		private void checkReplay(Op op, Object outcome) {
			if (op.key() == null || !definitive(outcome)) {
				return;
			}
			Object first = this.firstAnswers.putIfAbsent(op.key(), outcome);
			if (first == null) {
				return;
			}
			if (outcome instanceof ReservationOutcome.Held held) {
				assertThat(held.replayed()).isTrue();
				assertThat(held.reservation()).isEqualTo(((ReservationOutcome.Held) first).reservation());
			}
			else if (outcome instanceof ReduceOutcome.Replayed replayed) {
				assertThat(replayed.original()).isEqualTo(first);
			}
		}

		private static boolean definitive(Object outcome) {
			ReduceOutcome why = (outcome instanceof ReservationOutcome.Refused refused) ? refused.why()
					: (outcome instanceof ReduceOutcome reduce) ? reduce : null;
			return why == null || !(why instanceof ReduceOutcome.Contention);
		}

		record Done(Op op, Object outcome) {
		}

	}

	enum Kind {

		REDUCE, RESTOCK, HOLD, CONFIRM, RELEASE, SWEEP

	}

	/**
	 * One operation of a client; {@code pick} chooses among its holds, and a brief hold's
	 * TTL.
	 */
	record Op(Kind kind, List<Item> items, String key, boolean brief, int pick) {

	}

	record Plan(long seed, List<List<List<Op>>> rounds) {

		static Plan draw(long seed) {
			SplittableRandom random = new SplittableRandom(seed);
			List<List<List<Op>>> rounds = new ArrayList<>();
			int keys = 0;
			for (int round = random.nextInt(2, 5); round > 0; round--) {
				List<List<Op>> clients = new ArrayList<>();
				for (int client = random.nextInt(2, 5); client > 0; client--) {
					List<Op> ops = new ArrayList<>();
					for (int op = random.nextInt(4, 16); op > 0; op--) {
						Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
						boolean keyed = (kind == Kind.REDUCE || kind == Kind.HOLD) && random.nextInt(3) == 0;
						Op drawn = new Op(kind, items(random, kind == Kind.RESTOCK ? 1 : random.nextInt(1, 4)),
								keyed ? "plan-" + seed + "-" + keys++ : null, random.nextBoolean(),
								random.nextInt(1000));
						ops.add(drawn);
						if (keyed && random.nextBoolean()) {
							ops.add(drawn);
						}
					}
					clients.add(ops);
				}
				rounds.add(clients);
			}
			return new Plan(seed, rounds);
		}

		private static List<Item> items(SplittableRandom random, int count) {
			List<String> skus = new ArrayList<>(SKUS);
			List<Item> items = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				items.add(new Item(skus.remove(random.nextInt(skus.size())), random.nextInt(1, 5)));
			}
			return items;
		}

	}

}
