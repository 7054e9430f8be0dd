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

}
