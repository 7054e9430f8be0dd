package io.stockservice.stock;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.ReduceOutcome.Contention;
import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.UnknownSku;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What every reduce strategy promises, checked against a real Redis. Each strategy's test
 * class extends this one, so both pass exactly the same suite.
 */
abstract class ReduceStrategyContractTests {

	static final Duration DEADLINE = Duration.ofSeconds(5);

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> otherClient = this.redis.commands();

	final StockKeys keys = StockKeys.defaults();

	RedisSessions client;

	/** The strategy under test, on the given connections, telling the given listener. */
	abstract ReduceStrategy strategy(RedisSessions connections, ReduceListener listener);

	/**
	 * Connections to the given Redis, as the strategy under test gets them: by default
	 * the service's pool of Lettuce connections.
	 */
	RedisSessions connect(RedisURI uri, int maxConnections) {
		return TransactionClient.to(uri, maxConnections);
	}

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = connect(this.redis.uri(), 4);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	final IdempotencyRecords records = new IdempotencyRecords(Duration.ofMinutes(10));

	/** How many replicas the strategy under test waits for: none, unless a test says. */
	Replication replication = Replication.none();

	static final RetryPolicy RETRY = new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(4));

	List<ReduceOutcome> reduce(String sku, Long... quantities) {
		return reduce(Arrays.stream(quantities).map((quantity) -> Claim.of(sku, quantity)).toArray(Claim[]::new));
	}

	List<ReduceOutcome> reduce(Claim... claims) {
		return strategy(this.client, ReduceListener.NONE).reduce(List.of(claims), Deadline.after(DEADLINE));
	}

	/**
	 * How a request follows its own claim into a combined transaction (its span shows its
	 * attempts): each claim's listener hears every transaction that serves it.
	 */
	@Test
	void eachClaimsListenerHearsTheTransactionsThatServeIt() {
		this.otherClient.set("stock:count", "10");
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();

		List<ReduceOutcome> outcomes = reduce(Claim.of("count", 1).heardBy(attempts(first)),
				Claim.of("count", 2).heardBy(attempts(second)));

		assertThat(first).hasValue(outcomes.get(0).attempts()).hasPositiveValue();
		assertThat(second).hasValue(outcomes.get(1).attempts());
	}

	static ReduceListener attempts(AtomicInteger attempts) {
		return new ReduceListener() {

			@Override
			public void attempted() {
				attempts.incrementAndGet();
			}

		};
	}

	@Test
	void takesOneUnitAndReportsWhatIsLeft() {
		this.otherClient.set("stock:count", "100");

		assertThat(reduce("count", 1L)).containsExactly(new Reduced("count", 1, 99, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("99");
	}

	@Test
	void takesSeveralUnitsAtOnce() {
		this.otherClient.set("stock:count", "100");

		assertThat(reduce("count", 40L)).containsExactly(new Reduced("count", 40, 60, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("60");
	}

	@Test
	void takesTheLastUnitsDownToZero() {
		this.otherClient.set("stock:count", "3");

		assertThat(reduce("count", 3L)).containsExactly(new Reduced("count", 3, 0, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("0");
	}

	@Test
	void refusesMoreThanIsLeftAndWritesNothing() {
		this.otherClient.set("stock:count", "2");

		assertThat(reduce("count", 3L)).containsExactly(new Insufficient("count", 3, 2, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("2");
	}

	@Test
	void reportsAnUnknownSkuWithoutCreatingItsKey() {
		assertThat(reduce("nothing", 1L)).containsExactly(new UnknownSku("nothing", 1));
		assertThat(this.otherClient.exists("stock:nothing")).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "-5", "007", "1.5", "", "9007199254740993" })
	void reportsAValueThatIsNotAStockLevelAsCorruptAndLeavesItUntouched(String garbage) {
		this.otherClient.set("stock:count", garbage);

		assertThat(reduce("count", 1L)).containsExactly(new ReduceOutcome.CorruptStock("count", 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo(garbage);
	}

	@Test
	void reportsAKeyOfAnotherTypeAsCorruptAndLeavesItUntouched() {
		this.otherClient.rpush("stock:count", "100");

		assertThat(reduce("count", 1L)).containsExactly(new ReduceOutcome.CorruptStock("count", 1));
		assertThat(this.otherClient.lrange("stock:count", 0, -1)).containsExactly("100");
	}

	@Test
	void servesABatchInArrivalOrderAndLetsSmallerClaimsPassOneThatDoesNotFit() {
		this.otherClient.set("stock:count", "5");

		assertThat(reduce("count", 2L, 4L, 3L, 1L)).containsExactly(new Reduced("count", 2, 3, 1),
				new Insufficient("count", 4, 3, 1), new Reduced("count", 3, 0, 1), new Insufficient("count", 1, 0, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("0");
	}

	/**
	 * A combined batch may serve claims on several SKUs: each SKU's claims are decided in
	 * their arrival order as if the others were not there, in one transaction.
	 */
	@Test
	void servesABatchOnSeveralSkusInOneTransactionEachSkuAsIfAlone() {
		this.otherClient.set("stock:a", "5");
		this.otherClient.set("stock:b", "3");
		this.otherClient.rpush("stock:bad", "5");
		AtomicInteger transactions = new AtomicInteger();

		List<ReduceOutcome> outcomes = strategy(this.client, attempts(transactions))
			.reduce(List.of(Claim.of("a", 2), Claim.of("b", 4), Claim.of("bad", 1), Claim.of("a", 3),
					Claim.of("none", 1), Claim.keyed("b", 3, "order-1"), Claim.of("a", 1)), Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Reduced("a", 2, 3, 1), new Insufficient("b", 4, 3, 1),
				new ReduceOutcome.CorruptStock("bad", 1), new Reduced("a", 3, 0, 1), new UnknownSku("none", 1),
				new Reduced("b", 3, 0, 1), new Insufficient("a", 1, 0, 1));
		assertThat(transactions).hasValue(1);
		assertThat(this.otherClient.mget("stock:a", "stock:b", "stock:none"))
			.extracting((value) -> value.getValueOrElse(null))
			.containsExactly("0", "0", null);
		assertThat(this.otherClient.get("stock-service:idempotency:{stock:b}:order-1")).isEqualTo("R|1|b 3 0");
	}

	@Test
	void usesTheConfiguredPrefixSoTheArticlesKeyIsStockColonCount() {
		this.otherClient.set("stock:count", "10");
		this.otherClient.set("count", "10");

		reduce("count", 1L);

		assertThat(this.otherClient.get("stock:count")).isEqualTo("9");
		assertThat(this.otherClient.get("count")).isEqualTo("10");
	}

	@Test
	void givesBackEveryConnectionWhateverTheOutcome() {
		this.otherClient.set("stock:count", "1");
		this.otherClient.set("stock:junk", "junk");

		reduce("count", 1L);
		reduce("count", 1L);
		reduce("none", 1L);
		assertThat(reduce("junk", 1L)).containsExactly(new ReduceOutcome.CorruptStock("junk", 1));

		assertThat(this.client.leased()).isZero();
	}

	/**
	 * A connection goes back to the pool with no WATCH left on it: otherwise a later
	 * transaction on it would be aborted by a write to a key it never read.
	 */
	@Test
	void leavesNoWatchBehindOnTheConnectionItGivesBack() {
		this.otherClient.set("stock:a", "0");
		this.otherClient.set("stock:b", "10");
		try (RedisSessions single = connect(this.redis.uri(), 1)) {
			ReduceStrategy strategy = strategy(single, ReduceListener.NONE);
			assertThat(strategy.reduce(List.of(Claim.of("a", 1)), Deadline.after(DEADLINE)).get(0))
				.isInstanceOf(Insufficient.class);

			this.otherClient.set("stock:a", "5");

			assertThat(strategy.reduce(List.of(Claim.of("b", 1)), Deadline.after(DEADLINE)))
				.containsExactly(new Reduced("b", 1, 9, 1));
		}
	}

	@Test
	void reportsRedisUnavailableWhenNoServerAnswers() {
		RedisURI nowhere = RedisURI.create("redis://127.0.0.1:" + RedisServerProcess.freePort());
		try (RedisSessions unreachable = connect(nowhere, 1)) {
			ReduceStrategy strategy = strategy(unreachable, ReduceListener.NONE);

			assertThatExceptionOfType(StockUnavailableException.class)
				.isThrownBy(() -> strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(DEADLINE)));
		}
	}

	@Test
	void answersContentionWithoutTouchingRedisWhenNoConnectionComesFreeBeforeTheDeadline() {
		this.otherClient.set("stock:count", "10");
		try (RedisSessions single = connect(this.redis.uri(), 1)) {
			ReduceStrategy strategy = strategy(single, ReduceListener.NONE);
			try (RedisSession held = single.acquire("stock:count", Deadline.after(DEADLINE))) {
				assertThat(strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(Duration.ofMillis(50))))
					.containsExactly(new Contention("count", 0));
			}
		}
		assertThat(this.otherClient.get("stock:count")).isEqualTo("10");
	}

	@Test
	void aKeyedClaimTakesStockOnceAndItsRetryReplaysTheFirstAnswer() {
		this.otherClient.set("stock:count", "10");

		assertThat(reduce(Claim.keyed("count", 3, "order-1"))).containsExactly(new Reduced("count", 3, 7, 1));
		assertThat(reduce(Claim.keyed("count", 3, "order-1")))
			.containsExactly(new ReduceOutcome.Replayed(new Reduced("count", 3, 7, 1), 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("7");
	}

	@Test
	void writesTheRecordWithTheDecrementAndLetsItExpireAfterTheTtl() {
		this.otherClient.set("stock:count", "10");

		reduce(Claim.keyed("count", 3, "order-1"));

		String record = "stock-service:idempotency:{stock:count}:order-1";
		assertThat(this.otherClient.get(record)).isEqualTo("R|1|count 3 7");
		assertThat(this.otherClient.pttl(record)).isBetween(1L, this.records.ttl().toMillis());
	}

	@Test
	void refusesTheSameKeyForAnotherRequestAndTakesNothing() {
		this.otherClient.set("stock:count", "10");
		reduce(Claim.keyed("count", 3, "order-1"));

		assertThat(reduce(Claim.keyed("count", 4, "order-1")))
			.containsExactly(new ReduceOutcome.KeyReused("count", "order-1", 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("7");
	}

	@Test
	void replaysAnInsufficientAnswerEvenAfterARestock() {
		this.otherClient.set("stock:count", "1");
		assertThat(reduce(Claim.keyed("count", 2, "order-1"))).containsExactly(new Insufficient("count", 2, 1, 1));

		this.otherClient.set("stock:count", "100");

		ReduceOutcome retry = reduce(Claim.keyed("count", 2, "order-1")).get(0);

		assertThat(retry).isInstanceOfSatisfying(ReduceOutcome.Replayed.class,
				(replay) -> assertThat(replay.original()).isEqualTo(new Insufficient("count", 2, 1, 1)));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("100");
	}

	@Test
	void twoClaimsWithTheSameKeyInOneBatchTakeStockOnce() {
		this.otherClient.set("stock:count", "10");

		assertThat(reduce(Claim.keyed("count", 2, "order-1"), Claim.keyed("count", 2, "order-1"), Claim.of("count", 1)))
			.containsExactly(new Reduced("count", 2, 8, 1),
					new ReduceOutcome.Replayed(new Reduced("count", 2, 8, 1), 1), new Reduced("count", 1, 7, 1));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("7");
	}

	@Test
	void concurrentRetriesOfOneKeyedRequestTakeStockExactlyOnce() {
		this.otherClient.set("stock:count", "100");
		int retries = 8;
		List<ReduceOutcome> outcomes;
		ExecutorService threads = Executors.newFixedThreadPool(retries);
		try (RedisSessions wide = connect(this.redis.uri(), retries)) {
			ReduceStrategy strategy = strategy(wide, ReduceListener.NONE);
			CyclicBarrier together = new CyclicBarrier(retries);
			List<CompletableFuture<ReduceOutcome>> answers = IntStream.range(0, retries)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> {
					awaitOthers(together);
					return strategy.reduce(List.of(Claim.keyed("count", 5, "order-1")), Deadline.after(DEADLINE))
						.get(0);
				}, threads))
				.toList();
			outcomes = answers.stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}

		List<ReduceOutcome> fresh = outcomes.stream().filter(Reduced.class::isInstance).toList();
		assertThat(fresh).hasSize(1);
		assertThat(((Reduced) fresh.get(0)).available()).isEqualTo(95);
		assertThat(outcomes).filteredOn(ReduceOutcome.Replayed.class::isInstance)
			.hasSize(retries - 1)
			.allSatisfy((replay) -> assertThat(((ReduceOutcome.Replayed) replay).original()).isEqualTo(fresh.get(0)));
		assertThat(this.otherClient.get("stock:count")).isEqualTo("95");
	}

	static void awaitOthers(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (InterruptedException | BrokenBarrierException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
