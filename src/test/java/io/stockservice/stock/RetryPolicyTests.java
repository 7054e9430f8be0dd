package io.stockservice.stock;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTests {

	private final RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(8));

	/** A generator that always draws the top of the range, to expose the cap. */
	private final RandomGenerator highest = new RandomGenerator() {

		@Override
		public long nextLong() {
			return Long.MAX_VALUE;
		}

		@Override
		public long nextLong(long bound) {
			return bound - 1;
		}

	};

	@Test
	void theCapOfThePauseDoublesWithEachFailedAttemptUpToTheMaximum() {
		assertThat(this.policy.backoffAfter(1, this.highest)).isEqualTo(Duration.ofMillis(1));
		assertThat(this.policy.backoffAfter(2, this.highest)).isEqualTo(Duration.ofMillis(2));
		assertThat(this.policy.backoffAfter(3, this.highest)).isEqualTo(Duration.ofMillis(4));
		assertThat(this.policy.backoffAfter(4, this.highest)).isEqualTo(Duration.ofMillis(8));
		assertThat(this.policy.backoffAfter(9, this.highest)).isEqualTo(Duration.ofMillis(8));
	}

	@Test
	void fullJitterDrawsPausesFromZeroUpToTheCap() {
		RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
		long shortest = Long.MAX_VALUE;
		long longest = 0;
		for (int i = 0; i < 10_000; i++) {
			long pause = this.policy.backoffAfter(4, random).toNanos();
			shortest = Math.min(shortest, pause);
			longest = Math.max(longest, pause);
		}
		assertThat(shortest).isBetween(0L, Duration.ofMillis(1).toNanos());
		assertThat(longest).isBetween(Duration.ofMillis(7).toNanos(), Duration.ofMillis(8).toNanos());
	}

	@Test
	void refusesAPolicyWithoutAnyAttempt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
	}

	@Test
	void refusesAMaximumBackoffBelowTheInitialOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(1)));
	}

}
