package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.ReduceOutcome.Contention;
import io.stockservice.stock.ReduceOutcome.CorruptStock;
import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.Reduced;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Combining, made deterministic: Redis is paused (SIGSTOP) while a first transaction is
 * in flight, so that the claims that arrive meanwhile are known to queue behind it.
 */
class RequestCombinerTests {

	static RedisServerProcess redis;

	final AtomicInteger transactions = new AtomicInteger();

	/** Hears the SKUs of each transaction's WATCHed read. */
	volatile Consumer<List<String>> watchedSkus = (skus) -> {
	};

	final ReduceListener counting = new ReduceListener() {

		@Override
		public void attempted() {
			RequestCombinerTests.this.transactions.incrementAndGet();
		}

		@Override
		public void watched(List<String> skus) {
			RequestCombinerTests.this.watchedSkus.accept(skus);
		}

	};

	final ExecutorService callers = Executors.newCachedThreadPool();

	final ExecutorService lanes = Executors.newCachedThreadPool();

	TransactionClient client;

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void connect() {
		redis.commands().flushall();
		this.client = TransactionClient.to(redis.redisUri(), 4);
	}

	@AfterEach
	void close() {
		redis.resume();
		this.callers.shutdownNow();
		this.lanes.shutdownNow();
		this.client.close();
	}

	/** A combiner with the service's default of four transactions in flight. */
	RequestCombiner combiner(int maxBatch) {
		return combiner(maxBatch, 4, this.client.connections());
	}

	RequestCombiner combiner(int maxBatch, int maxInFlight, RedisSessions sessions) {
		return new RequestCombiner(strategy(sessions), this.lanes, maxBatch, maxInFlight, ReduceListener.NONE);
	}

	ReduceStrategy strategy(RedisSessions sessions) {
		return new WatchReduceStrategy(sessions, StockKeys.defaults(), IdempotencyRecords.defaults(),
				Replication.none(), new RetryPolicy(5, Duration.ZERO, Duration.ZERO), this.counting, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
	}

	CompletableFuture<ReduceOutcome> claim(RequestCombiner combiner, long quantity, Duration deadline) {
		return CompletableFuture.supplyAsync(() -> combiner.reduce(Claim.of("hot", quantity), Deadline.after(deadline)),
				this.callers);
	}

	CompletableFuture<ReduceOutcome> claim(RequestCombiner combiner, String sku, long quantity) {
		return CompletableFuture.supplyAsync(
				() -> combiner.reduce(Claim.of(sku, quantity), Deadline.after(Duration.ofSeconds(20))), this.callers);
	}

	/** Starts one claim, and freezes Redis while its transaction waits for an answer. */
	CompletableFuture<ReduceOutcome> firstClaimInFlightOnAFrozenRedis(RequestCombiner combiner) {
		return firstClaimInFlightOnAFrozenRedis(combiner, Duration.ofSeconds(20));
	}

	CompletableFuture<ReduceOutcome> firstClaimInFlightOnAFrozenRedis(RequestCombiner combiner, Duration deadline) {
		// Connect first, on another SKU: a connection could not be made to a frozen
		// Redis.
		redis.commands().set("stock:warm-up", "1");
		combiner.reduce(Claim.of("warm-up", 1), Deadline.after(Duration.ofSeconds(5)));
		this.transactions.set(0);
		redis.pause();
		CompletableFuture<ReduceOutcome> first = claim(combiner, 1, deadline);
		Awaitility.await().until(() -> this.transactions.get() == 1 && combiner.queued("hot") == 0);
		return first;
	}

	/** Makes the pool's connections while Redis still answers: a frozen one could not. */
	void connectAhead(int connections) {
		List<RedisSession> sessions = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			sessions.add(this.client.acquire("stock:hot", Deadline.after(Duration.ofSeconds(5))));
		}
		assertThat(this.client.leased()).isEqualTo(connections);
		sessions.forEach(RedisSession::close);
	}

	void awaitQueued(RequestCombiner combiner, int claims) {
		awaitQueued(combiner, "hot", claims);
	}

	void awaitQueued(RequestCombiner combiner, String sku, int claims) {
		Awaitility.await().until(() -> combiner.queued(sku) == claims);
	}

	@Test
	void claimsThatArriveDuringATransactionShareTheNextOne() {
		redis.commands().set("stock:hot", "100");
		RequestCombiner combiner = combiner(256);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		List<CompletableFuture<ReduceOutcome>> queued = IntStream.range(0, 20)
			.mapToObj((i) -> claim(combiner, 1, Duration.ofSeconds(20)))
			.toList();
		awaitQueued(combiner, 20);

		redis.resume();

		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 99, 1));
		List<Long> available = queued.stream().map((claim) -> ((Reduced) claim.join()).available()).sorted().toList();
		assertThat(available).containsExactlyElementsOf(LongStream.rangeClosed(79, 98).boxed().toList());
		assertThat(this.transactions).hasValue(2);
		assertThat(redis.commands().get("stock:hot")).isEqualTo("79");
	}

	@Test
	void aQueueLongerThanTheLargestBatchIsServedInSeveralTransactions() {
		redis.commands().set("stock:hot", "100");
		RequestCombiner combiner = combiner(2);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		List<CompletableFuture<ReduceOutcome>> queued = IntStream.range(0, 5)
			.mapToObj((i) -> claim(combiner, 1, Duration.ofSeconds(20)))
			.toList();
		awaitQueued(combiner, 5);

		redis.resume();

		first.join();
		queued.forEach(CompletableFuture::join);
		assertThat(this.transactions).hasValue(1 + 3);
		assertThat(redis.commands().get("stock:hot")).isEqualTo("94");
	}

	@Test
	void aClaimThatDoesNotFitFailsAloneAndTheOthersInItsBatchStillTakeTheirUnits() {
		redis.commands().set("stock:hot", "6");
		RequestCombiner combiner = combiner(256);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		CompletableFuture<ReduceOutcome> three = claim(combiner, 3, Duration.ofSeconds(20));
		awaitQueued(combiner, 1);
		CompletableFuture<ReduceOutcome> ten = claim(combiner, 10, Duration.ofSeconds(20));
		awaitQueued(combiner, 2);
		CompletableFuture<ReduceOutcome> two = claim(combiner, 2, Duration.ofSeconds(20));
		awaitQueued(combiner, 3);

		redis.resume();

		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 5, 1));
		assertThat(three.join()).isEqualTo(new Reduced("hot", 3, 2, 1));
		assertThat(ten.join()).isEqualTo(new Insufficient("hot", 10, 2, 1));
		assertThat(two.join()).isEqualTo(new Reduced("hot", 2, 0, 1));
		assertThat(redis.commands().get("stock:hot")).isEqualTo("0");
	}

	@Test
	void aClaimWhoseDeadlinePassesWhileQueuedLeavesWithContentionAndTakesNothing() {
		redis.commands().set("stock:hot", "100");
		RequestCombiner combiner = combiner(256);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);

		ReduceOutcome impatient = claim(combiner, 5, Duration.ofMillis(300)).join();

		assertThat(impatient).isEqualTo(new Contention("hot", 0));
		redis.resume();
		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 99, 1));
		Awaitility.await().until(() -> combiner.lanes() == 0);
		assertThat(redis.commands().get("stock:hot")).isEqualTo("99");
		assertThat(this.transactions).hasValue(1);
	}

	@Test
	void aCorruptStockAnswersEveryClaimOfTheBatchAndWritesNothing() {
		redis.commands().set("stock:hot", "garbage");
		RequestCombiner combiner = combiner(256);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		List<CompletableFuture<ReduceOutcome>> queued = IntStream.range(0, 3)
			.mapToObj((i) -> claim(combiner, 1, Duration.ofSeconds(20)))
			.toList();
		awaitQueued(combiner, 3);

		redis.resume();

		assertThat(first.join()).isEqualTo(new CorruptStock("hot", 1));
		assertThat(queued).allSatisfy((claim) -> assertThat(claim.join()).isEqualTo(new CorruptStock("hot", 1)));
		assertThat(this.transactions).hasValue(2);
		assertThat(redis.commands().get("stock:hot")).isEqualTo("garbage");
	}

	/**
	 * Redis stays frozen past the deadline of a batch of three: its transaction cannot
	 * even get a connection, and every claim it served fails with it.
	 */
	@Test
	void aTransactionThatFailsFailsEveryClaimItServedAndWritesNothing() {
		redis.commands().set("stock:hot", "100");
		RequestCombiner combiner = combiner(256);
		redis.commands().set("stock:warm-up", "1");
		combiner.reduce(Claim.of("warm-up", 1), Deadline.after(Duration.ofSeconds(5)));
		redis.pause();
		// The three must be seen queued before the first transaction's deadline: 1.5 s
		// leaves room for a busy machine (500 ms did not, once, in a full run).
		CompletableFuture<ReduceOutcome> first = claim(combiner, 1, Duration.ofMillis(1500));
		Awaitility.await().until(() -> combiner.queued("hot") == 0 && !first.isDone());
		List<CompletableFuture<ReduceOutcome>> queued = IntStream.range(0, 3)
			.mapToObj((i) -> claim(combiner, 1, Duration.ofSeconds(3)))
			.toList();
		awaitQueued(combiner, 3);

		for (CompletableFuture<ReduceOutcome> claim : Stream.concat(Stream.of(first), queued.stream()).toList()) {
			assertThatExceptionOfType(CompletionException.class).isThrownBy(claim::join)
				.withCauseInstanceOf(StockUnavailableException.class);
		}
		redis.resume();
		assertThat(redis.commands().get("stock:hot")).isEqualTo("100");
	}

	@Test
	void forgetsTheLaneOfASkuOnceNothingWaits() {
		redis.commands().set("stock:hot", "10");
		RequestCombiner combiner = combiner(256);

		combiner.reduce(Claim.of("hot", 1), Deadline.after(Duration.ofSeconds(5)));

		Awaitility.await().until(() -> combiner.lanes() == 0);
	}

	/**
	 * The transaction in flight holds the only turn: claims on three other SKUs and on
	 * the hot one queue meanwhile, and the next transaction serves them all, one WATCH of
	 * every key, one read, one EXEC, each SKU's claims in their arrival order.
	 */
	@Test
	void claimsOnDifferentSkusThatQueueMeanwhileShareTheNextTransaction() {
		for (String sku : List.of("hot", "a", "b", "c")) {
			redis.commands().set("stock:" + sku, "10");
		}
		RequestCombiner combiner = combiner(256, 1, this.client.connections());
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		List<CompletableFuture<ReduceOutcome>> queued = new ArrayList<>();
		List<String> order = List.of("a", "hot", "b", "a", "c", "hot", "a");
		for (String sku : order) {
			queued.add(claim(combiner, sku, 2));
			awaitQueued(combiner, sku, (int) order.subList(0, queued.size()).stream().filter(sku::equals).count());
		}

		redis.resume();

		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 9, 1));
		assertThat(queued.stream().map(CompletableFuture::join).toList()).containsExactly(new Reduced("a", 2, 8, 1),
				new Reduced("hot", 2, 7, 1), new Reduced("b", 2, 8, 1), new Reduced("a", 2, 6, 1),
				new Reduced("c", 2, 8, 1), new Reduced("hot", 2, 5, 1), new Reduced("a", 2, 4, 1));
		assertThat(this.transactions).hasValue(2);
		assertThat(redis.commands().mget("stock:hot", "stock:a", "stock:b", "stock:c"))
			.extracting((value) -> value.getValue())
			.containsExactly("5", "4", "8", "8");
	}

	/**
	 * A SKU has one transaction in flight at a time, even where several may run: a claim
	 * on the hot SKU, whose transaction is in flight, waits for it, while a claim on
	 * another SKU gets a transaction of its own at once.
	 */
	@Test
	void aSkuWaitsForItsTransactionInFlightWhileOtherSkusGetTransactionsOfTheirOwn() {
		redis.commands().set("stock:hot", "10");
		redis.commands().set("stock:other", "10");
		RequestCombiner combiner = combiner(256, 2, this.client.connections());
		connectAhead(2);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);

		CompletableFuture<ReduceOutcome> second = claim(combiner, "hot", 1);
		awaitQueued(combiner, "hot", 1);
		CompletableFuture<ReduceOutcome> other = claim(combiner, "other", 1);
		Awaitility.await().until(() -> this.transactions.get() == 2 && combiner.queued("other") == 0);

		assertThat(combiner.queued("hot")).isEqualTo(1);
		redis.resume();
		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 9, 1));
		assertThat(second.join()).isEqualTo(new Reduced("hot", 1, 8, 1));
		assertThat(other.join()).isEqualTo(new Reduced("other", 1, 9, 1));
		assertThat(this.transactions).hasValue(3);
	}

	/**
	 * On a Redis Cluster one transaction touches one hash slot: claims on SKUs of two
	 * slots that queue together are served by one transaction per slot.
	 */
	@Test
	void claimsOnSkusOfDifferentHashSlotsNeverShareATransaction() {
		for (String sku : List.of("hot", "a1", "a2", "b1", "b2")) {
			redis.commands().set("stock:" + sku, "10");
		}
		// Standalone Redis, told apart as two slots by the SKU's first letter: a
		// transaction mixing them would still work here, so the count tells.
		RequestCombiner combiner = combiner(256, 1, new SlotsByFirstLetter(this.client.connections()));
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		List<CompletableFuture<ReduceOutcome>> queued = new ArrayList<>();
		for (String sku : List.of("a1", "b1", "a2", "b2")) {
			queued.add(claim(combiner, sku, 1));
			awaitQueued(combiner, sku, 1);
		}
		List<List<String>> watched = new CopyOnWriteArrayList<>();
		this.watchedSkus = watched::add;

		redis.resume();

		first.join();
		assertThat(queued.stream().map(CompletableFuture::join).toList()).containsExactly(new Reduced("a1", 1, 9, 1),
				new Reduced("b1", 1, 9, 1), new Reduced("a2", 1, 9, 1), new Reduced("b2", 1, 9, 1));
		assertThat(this.transactions).hasValue(3);
		assertThat(watched).containsExactlyInAnyOrder(List.of("hot"), List.of("a1", "a2"), List.of("b1", "b2"));
	}

	/** Sessions on one standalone Redis that report a SKU's first letter as its slot. */
	record SlotsByFirstLetter(RedisSessions sessions) implements RedisSessions {

		@Override
		public RedisSession acquire(String key, Deadline deadline) {
			return this.sessions.acquire(key, deadline);
		}

		@Override
		public int slot(String key) {
			return key.charAt(StockKeys.DEFAULT_STOCK_PREFIX.length());
		}

		@Override
		public int leased() {
			return this.sessions.leased();
		}

		@Override
		public void close() {
		}

	}

	/**
	 * Two transactions may be in flight: claims on three more SKUs that arrive while two
	 * are, queue for a turn rather than start a third, and the first turn to come free
	 * serves all three in one transaction.
	 */
	@Test
	void claimsOnFurtherSkusWaitForATurnWhileMaxInFlightTransactionsRun() {
		for (String sku : List.of("hot", "a", "b", "c", "d")) {
			redis.commands().set("stock:" + sku, "10");
		}
		RequestCombiner combiner = combiner(256, 2, this.client.connections());
		connectAhead(2);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		CompletableFuture<ReduceOutcome> second = claim(combiner, "a", 1);
		Awaitility.await().until(() -> this.transactions.get() == 2 && combiner.queued("a") == 0);
		List<CompletableFuture<ReduceOutcome>> queued = new ArrayList<>();
		for (String sku : List.of("b", "c", "d")) {
			queued.add(claim(combiner, sku, 1));
			awaitQueued(combiner, sku, 1);
		}

		assertThat(combiner.inFlight()).isEqualTo(2);
		List<List<String>> watched = new CopyOnWriteArrayList<>();
		this.watchedSkus = watched::add;
		redis.resume();

		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 9, 1));
		assertThat(second.join()).isEqualTo(new Reduced("a", 1, 9, 1));
		assertThat(queued.stream().map(CompletableFuture::join).toList()).containsExactly(new Reduced("b", 1, 9, 1),
				new Reduced("c", 1, 9, 1), new Reduced("d", 1, 9, 1));
		assertThat(this.transactions).hasValue(3);
		assertThat(watched).contains(List.of("b", "c", "d"));
		Awaitility.await().until(() -> combiner.inFlight() == 0 && combiner.lanes() == 0);
	}

	/**
	 * With no bound on transactions in flight (0), combining is what it was: each SKU
	 * with claims waiting gets a transaction of its own at once, and a transaction never
	 * serves two SKUs.
	 */
	@Test
	void withMaxInFlightZeroEverySkuGetsATransactionOfItsOwnAtOnce() {
		for (String sku : List.of("hot", "a", "b", "c")) {
			redis.commands().set("stock:" + sku, "10");
		}
		RequestCombiner combiner = combiner(256, 0, this.client.connections());
		connectAhead(4);
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		CompletableFuture<ReduceOutcome> again = claim(combiner, "hot", 2);
		awaitQueued(combiner, "hot", 1);
		List<CompletableFuture<ReduceOutcome>> others = new ArrayList<>();
		for (String sku : List.of("a", "b", "c")) {
			others.add(claim(combiner, sku, 1));
		}
		Awaitility.await().until(() -> this.transactions.get() == 4);

		assertThat(combiner.inFlight()).isEqualTo(4);
		assertThat(combiner.queued("hot")).isEqualTo(1);
		List<List<String>> watched = new CopyOnWriteArrayList<>();
		this.watchedSkus = watched::add;
		redis.resume();

		assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 9, 1));
		assertThat(again.join()).isEqualTo(new Reduced("hot", 2, 7, 1));
		assertThat(others.stream().map(CompletableFuture::join).toList()).containsExactly(new Reduced("a", 1, 9, 1),
				new Reduced("b", 1, 9, 1), new Reduced("c", 1, 9, 1));
		assertThat(this.transactions).hasValue(5);
		assertThat(watched).containsExactlyInAnyOrder(List.of("hot"), List.of("a"), List.of("b"), List.of("c"),
				List.of("hot"));
		Awaitility.await().until(() -> combiner.inFlight() == 0 && combiner.lanes() == 0);
	}

	@Test
	void refusesANegativeMaxInFlight() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> combiner(256, -1, this.client.connections()));
	}

	/**
	 * A combined transaction on two SKUs, aborted by another client's write to one, then
	 * split: the other SKU's claim is served, and the written one, tried again apart, is
	 * refused by Redis (out of memory). Each caller gets its own part's answer: a sale,
	 * and a failure whose effect is unknown.
	 */
	@Test
	void aCallerWhosePartOfASplitTransactionWasServedGetsItsOutcomeWhenAnotherPartFails() {
		redis.commands().set("stock:hot", "10");
		redis.commands().set("stock:a", "10");
		redis.commands().set("stock:b", "10");
		RequestCombiner combiner = combiner(256, 1, this.client.connections());
		CompletableFuture<ReduceOutcome> first = firstClaimInFlightOnAFrozenRedis(combiner);
		CompletableFuture<ReduceOutcome> a = claim(combiner, "a", 1);
		awaitQueued(combiner, "a", 1);
		CompletableFuture<ReduceOutcome> b = claim(combiner, "b", 1);
		awaitQueued(combiner, "b", 1);
		AtomicInteger bWatched = new AtomicInteger();
		this.watchedSkus = (skus) -> {
			if (skus.contains("b")) {
				int watch = bWatched.incrementAndGet();
				if (watch == 1) {
					redis.commands().decrby("stock:b", 1);
				}
				else if (watch == 2) {
					redis.commands().configSet("maxmemory", "1");
				}
			}
		};
		try {
			redis.resume();

			assertThat(first.join()).isEqualTo(new Reduced("hot", 1, 9, 1));
			assertThat(a.join()).isEqualTo(new Reduced("a", 1, 9, 2));
			assertThatExceptionOfType(CompletionException.class).isThrownBy(b::join)
				.withCauseInstanceOf(StockUnavailableException.class);
			assertThat(bWatched).hasValue(2);
		}
		finally {
			redis.commands().configSet("maxmemory", "0");
		}
		assertThat(redis.commands().mget("stock:a", "stock:b")).extracting((value) -> value.getValue())
			.containsExactly("9", "9");
	}

}
