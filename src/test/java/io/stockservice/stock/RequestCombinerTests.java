package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

	final ReduceListener counting = new ReduceListener() {

		@Override
		public void attempted() {
			RequestCombinerTests.this.transactions.incrementAndGet();
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

	RequestCombiner combiner(int maxBatch) {
		ReduceStrategy strategy = new WatchReduceStrategy(this.client.connections(), StockKeys.defaults(),
				IdempotencyRecords.defaults(), Replication.none(), new RetryPolicy(5, Duration.ZERO, Duration.ZERO),
				this.counting, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		return new RequestCombiner(strategy, this.lanes, maxBatch, ReduceListener.NONE);
	}

	CompletableFuture<ReduceOutcome> claim(RequestCombiner combiner, long quantity, Duration deadline) {
		return CompletableFuture.supplyAsync(() -> combiner.reduce(Claim.of("hot", quantity), Deadline.after(deadline)),
				this.callers);
	}

	/** Starts one claim, and freezes Redis while its transaction waits for an answer. */
	CompletableFuture<ReduceOutcome> firstClaimInFlightOnAFrozenRedis(RequestCombiner combiner) {
		// Connect first, on another SKU: a connection could not be made to a frozen
		// Redis.
		redis.commands().set("stock:warm-up", "1");
		combiner.reduce(Claim.of("warm-up", 1), Deadline.after(Duration.ofSeconds(5)));
		this.transactions.set(0);
		redis.pause();
		CompletableFuture<ReduceOutcome> first = claim(combiner, 1, Duration.ofSeconds(20));
		Awaitility.await().until(() -> this.transactions.get() == 1 && combiner.queued("hot") == 0);
		return first;
	}

	void awaitQueued(RequestCombiner combiner, int claims) {
		Awaitility.await().until(() -> combiner.queued("hot") == claims);
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
		CompletableFuture<ReduceOutcome> first = claim(combiner, 1, Duration.ofMillis(500));
		Awaitility.await().until(() -> combiner.queued("hot") == 0 && !first.isDone());
		List<CompletableFuture<ReduceOutcome>> queued = IntStream.range(0, 3)
			.mapToObj((i) -> claim(combiner, 1, Duration.ofSeconds(2)))
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

}
