package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.stockservice.stock.ReduceOutcome.Contention;
import io.stockservice.stock.ReduceOutcome.Reduced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WatchReduceStrategyTests extends ReduceStrategyContractTests {

	static final RetryPolicy RETRY = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(4));

	final List<Duration> pauses = new ArrayList<>();

	/** What another client does while we pause before a retry: nothing, by default. */
	Runnable duringPause = () -> {
	};

	/** Records each pause instead of sleeping it, so tests never wait. */
	final Sleeper recordingSleeper = (pause) -> {
		this.pauses.add(pause);
		this.duringPause.run();
	};

	@Override
	ReduceStrategy strategy(RedisSessions connections, ReduceListener listener) {
		return new WatchReduceStrategy(connections, this.keys, this.records, this.replication, RETRY, listener,
				this.recordingSleeper, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/**
	 * Plays the article's "other client": after our WATCH and GET, and before our EXEC,
	 * it writes the stock key (the same value, which still counts as a write), so Redis
	 * aborts our EXEC.
	 */
	ReduceListener conflicting(int times, AtomicInteger conflicts) {
		AtomicInteger writes = new AtomicInteger();
		return new ReduceListener() {

			@Override
			public void watched(List<String> skus) {
				if (writes.getAndIncrement() < times) {
					String key = WatchReduceStrategyTests.this.keys.stock(skus.get(0));
					WatchReduceStrategyTests.this.otherClient.set(key,
							WatchReduceStrategyTests.this.otherClient.get(key));
				}
			}

			@Override
			public void conflicted() {
				conflicts.incrementAndGet();
			}

		};
	}

	@Test
	void retriesWhenAnotherClientWritesTheStockBetweenItsReadAndItsExec() {
		this.otherClient.set("stock:count", "10");
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client, conflicting(2, conflicts));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Reduced("count", 1, 9, 3));
		assertThat(conflicts).hasValue(2);
		assertThat(this.otherClient.get("stock:count")).isEqualTo("9");
	}

	/**
	 * On a hot SKU other instances keep writing while we pause after a conflict: the
	 * retry must decide on the stock as it is after the pause. A read taken before the
	 * pause is stale by construction, and its EXEC would be aborted again, attempt after
	 * attempt (as the removed read-ahead option's retries were).
	 */
	@Test
	void aRetryDecidesOnTheStockAnotherClientLeftDuringThePause() {
		this.otherClient.set("stock:count", "10");
		this.duringPause = () -> this.otherClient.decrby("stock:count", 3);
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client, conflicting(1, conflicts));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Reduced("count", 1, 6, 2));
		assertThat(conflicts).hasValue(1);
		assertThat(this.otherClient.get("stock:count")).isEqualTo("6");
	}

	@Test
	void givesUpWithContentionAfterMaxAttemptsAndTakesNothing() {
		this.otherClient.set("stock:count", "10");
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client, conflicting(Integer.MAX_VALUE, conflicts));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Contention("count", RETRY.maxAttempts()));
		assertThat(conflicts).hasValue(RETRY.maxAttempts());
		assertThat(this.otherClient.get("stock:count")).isEqualTo("10");
	}

	@Test
	void pausesWithJitteredBackoffBetweenAttemptsButNotAfterTheLast() {
		this.otherClient.set("stock:count", "10");
		ReduceStrategy strategy = strategy(this.client, conflicting(Integer.MAX_VALUE, new AtomicInteger()));

		strategy.reduce(List.of(Claim.of("count", 1)), Deadline.after(DEADLINE));

		assertThat(this.pauses).hasSize(RETRY.maxAttempts() - 1);
		for (int i = 0; i < this.pauses.size(); i++) {
			Duration cap = Duration.ofMillis(Math.min(4, 1L << i));
			assertThat(this.pauses.get(i)).isBetween(Duration.ZERO, cap);
		}
	}

	@Test
	void givesUpAtTheDeadlineEvenWithAttemptsLeft() {
		this.otherClient.set("stock:count", "10");
		AtomicLong now = new AtomicLong();
		// Every pause moves the test's clock on by a second; the deadline is 2.5 seconds
		// away.
		Sleeper timeTravelling = (pause) -> now.addAndGet(Duration.ofSeconds(1).toNanos());
		RetryPolicy patient = new RetryPolicy(100, Duration.ofMillis(1), Duration.ofMillis(1));
		ReduceStrategy strategy = new WatchReduceStrategy(this.client, this.keys, this.records, Replication.none(),
				patient, conflicting(Integer.MAX_VALUE, new AtomicInteger()), timeTravelling,
				RetryPolicy.THREAD_LOCAL_JITTER);

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("count", 1)),
				Deadline.after(Duration.ofMillis(2500), now::get));

		assertThat(outcomes).containsExactly(new Contention("count", 3));
	}

	/**
	 * Plays another client that writes a SKU between our read and our EXEC, each time our
	 * transaction watches it, up to the given number of times; and records the SKUs each
	 * transaction watched.
	 */
	ReduceListener writing(String sku, int times, List<List<String>> watched, AtomicInteger conflicts, Runnable write) {
		AtomicInteger writes = new AtomicInteger();
		return new ReduceListener() {

			@Override
			public void watched(List<String> skus) {
				watched.add(skus);
				if (skus.contains(sku) && writes.getAndIncrement() < times) {
					write.run();
				}
			}

			@Override
			public void conflicted() {
				conflicts.incrementAndGet();
			}

		};
	}

	/**
	 * A write to one SKU of a combined batch aborts the EXEC of all of them; a fresh read
	 * shows which SKU was written. That SKU's claims are tried again alone, after a
	 * pause; the others together at once, without one: the SKU another instance keeps
	 * selling does not hold back the rest.
	 */
	@Test
	void aBatchOnSeveralSkusRetriesTheSkuAnotherClientWroteAloneAndTheOthersTogether() {
		for (String sku : List.of("a", "b", "c")) {
			this.otherClient.set("stock:" + sku, "10");
		}
		List<List<String>> watched = new ArrayList<>();
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client,
				writing("b", 1, watched, conflicts, () -> this.otherClient.decrby("stock:b", 3)));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("a", 1), Claim.of("b", 1), Claim.of("c", 1)),
				Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Reduced("a", 1, 9, 2), new Reduced("b", 1, 6, 2),
				new Reduced("c", 1, 9, 2));
		assertThat(watched).containsExactly(List.of("a", "b", "c"), List.of("a", "c"), List.of("b"));
		assertThat(conflicts).hasValue(1);
		assertThat(this.pauses).hasSize(1);
		assertThat(this.otherClient.mget("stock:a", "stock:b", "stock:c")).extracting((value) -> value.getValue())
			.containsExactly("9", "6", "9");
	}

	/**
	 * A write that leaves a value as it was still aborts the EXEC, but shows in no
	 * reading: the whole batch is tried again, after a pause.
	 */
	@Test
	void aBatchOnSeveralSkusWhoseKeyWasWrittenBackUnchangedIsTriedAgainWhole() {
		this.otherClient.set("stock:a", "10");
		this.otherClient.set("stock:b", "10");
		List<List<String>> watched = new ArrayList<>();
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client,
				writing("b", 1, watched, conflicts, () -> this.otherClient.set("stock:b", "10")));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("a", 1), Claim.of("b", 2)),
				Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Reduced("a", 1, 9, 2), new Reduced("b", 2, 8, 2));
		assertThat(watched).containsExactly(List.of("a", "b"), List.of("a", "b"));
		assertThat(conflicts).hasValue(1);
		assertThat(this.pauses).hasSize(1);
	}

	/**
	 * A SKU that another client writes before every one of our EXECs leaves with
	 * contention once its attempts are spent, taking nothing; the claims on the other
	 * SKUs of its batch were served on the second attempt.
	 */
	@Test
	void aSkuWrittenBeforeEveryExecLeavesWithContentionWhileTheRestOfItsBatchIsServed() {
		this.otherClient.set("stock:a", "10");
		this.otherClient.set("stock:b", "10");
		AtomicInteger conflicts = new AtomicInteger();
		ReduceStrategy strategy = strategy(this.client, writing("b", Integer.MAX_VALUE, new ArrayList<>(), conflicts,
				() -> this.otherClient.decrby("stock:b", 1)));

		List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("b", 1), Claim.of("a", 1)),
				Deadline.after(DEADLINE));

		assertThat(outcomes).containsExactly(new Contention("b", RETRY.maxAttempts()), new Reduced("a", 1, 9, 2));
		assertThat(conflicts).hasValue(RETRY.maxAttempts());
		assertThat(this.otherClient.get("stock:b")).isEqualTo(Integer.toString(10 - RETRY.maxAttempts()));
	}

	/**
	 * Another instance serves a retry of the same keyed request between our read and our
	 * EXEC: its record aborts our EXEC, and the keyed claim, tried again alone, replays
	 * it and takes nothing; the claim on the other SKU is served.
	 */
	@Test
	void aKeyedClaimRecordedMeanwhileByAnotherInstanceIsReplayedAndTheRestOfItsBatchServed() {
		this.otherClient.set("stock:a", "10");
		this.otherClient.set("stock:b", "10");
		// The other instance has a connection of its own: ours is inside its transaction.
		try (RedisSessions others = connect(this.redis.uri(), 1)) {
			ReduceStrategy otherInstance = strategy(others, ReduceListener.NONE);
			ReduceStrategy strategy = strategy(this.client, writing("b", 1, new ArrayList<>(), new AtomicInteger(),
					() -> otherInstance.reduce(List.of(Claim.keyed("b", 4, "order-1")), Deadline.after(DEADLINE))));

			List<ReduceOutcome> outcomes = strategy.reduce(List.of(Claim.of("a", 1), Claim.keyed("b", 4, "order-1")),
					Deadline.after(DEADLINE));

			assertThat(outcomes).containsExactly(new Reduced("a", 1, 9, 2),
					new ReduceOutcome.Replayed(new Reduced("b", 4, 6, 1), 2));
		}
		assertThat(this.otherClient.get("stock:b")).isEqualTo("6");
	}

	/**
	 * Another client writes two SKUs of a combined batch, then one of them again: the SKU
	 * left alone is served at once, the two written are tried again together after a
	 * pause, and only the one written again is split off from them once more.
	 */
	@Test
	void skusWrittenTogetherAreTriedAgainTogetherAndOnlyTheOneWrittenAgainGoesAlone() {
		for (String sku : List.of("a", "b", "c")) {
			this.otherClient.set("stock:" + sku, "10");
		}
		List<List<String>> watched = new ArrayList<>();
		AtomicInteger bWatched = new AtomicInteger();
		ReduceListener rival = new ReduceListener() {

			@Override
			public void watched(List<String> skus) {
				watched.add(skus);
				if (skus.contains("b") && bWatched.incrementAndGet() <= 2) {
					WatchReduceStrategyTests.this.otherClient.decrby("stock:b", 1);
				}
				if (skus.contains("c") && watched.size() == 1) {
					WatchReduceStrategyTests.this.otherClient.decrby("stock:c", 1);
				}
			}

		};

		List<ReduceOutcome> outcomes = strategy(this.client, rival)
			.reduce(List.of(Claim.of("a", 1), Claim.of("b", 1), Claim.of("c", 1)), Deadline.after(DEADLINE));

		assertThat(watched).containsExactly(List.of("a", "b", "c"), List.of("a"), List.of("b", "c"), List.of("c"),
				List.of("b"));
		assertThat(outcomes).containsExactly(new Reduced("a", 1, 9, 2), new Reduced("b", 1, 7, 3),
				new Reduced("c", 1, 8, 3));
		assertThat(this.pauses).hasSize(2);
		assertThat(this.otherClient.mget("stock:a", "stock:b", "stock:c")).extracting((value) -> value.getValue())
			.containsExactly("9", "7", "8");
	}

	/**
	 * Another client aborts a combined batch by writing b; a is then served alone, and b,
	 * tried again apart, is refused by Redis (out of memory: maxmemory set to 1 byte
	 * meanwhile). The outcome of a stands, true as it is; only b's claim fails.
	 */
	@Test
	void aPartRefusedAfterAnotherPartWasServedFailsOnlyItsOwnClaims() {
		this.otherClient.set("stock:a", "10");
		this.otherClient.set("stock:b", "10");
		AtomicInteger bWatched = new AtomicInteger();
		ReduceListener rival = new ReduceListener() {

			@Override
			public void watched(List<String> skus) {
				if (skus.contains("b")) {
					int watch = bWatched.incrementAndGet();
					if (watch == 1) {
						WatchReduceStrategyTests.this.otherClient.decrby("stock:b", 1);
					}
					else if (watch == 2) {
						WatchReduceStrategyTests.this.otherClient.configSet("maxmemory", "1");
					}
				}
			}

		};
		try {
			assertThatExceptionOfType(PartlyDecidedException.class)
				.isThrownBy(() -> strategy(this.client, rival).reduce(List.of(Claim.of("a", 1), Claim.of("b", 1)),
						Deadline.after(DEADLINE)))
				.satisfies((ex) -> {
					assertThat(ex.outcomes()).containsExactly(new Reduced("a", 1, 9, 2), null);
					assertThat(ex.failure()).isInstanceOf(StockUnavailableException.class).hasMessageContaining("OOM");
				});
		}
		finally {
			this.otherClient.configSet("maxmemory", "0");
		}
		assertThat(this.otherClient.mget("stock:a", "stock:b")).extracting((value) -> value.getValue())
			.containsExactly("9", "9");
	}

}
