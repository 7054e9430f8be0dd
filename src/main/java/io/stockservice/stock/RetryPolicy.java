package io.stockservice.stock;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a conflicted reduction is tried again: at most
 * {@code maxAttempts} transactions, separated by exponential backoff with full jitter (a
 * uniformly random pause between zero and {@code initialBackoff * 2^(n-1)}, capped at
 * {@code maxBackoff}). Full jitter spreads the retries of clients that collided at the
 * same moment, which is what keeps them from colliding again.
 *
 * @param maxAttempts transactions per reduction, at least 1
 * @param initialBackoff the cap of the first pause
 * @param maxBackoff the cap of any pause
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

	/** Jitter for any thread: each draws from its own {@link ThreadLocalRandom}. */
	public static final RandomGenerator THREAD_LOCAL_JITTER = () -> ThreadLocalRandom.current().nextLong();

	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"backoff must satisfy 0 <= initial <= max, was " + initialBackoff + " and " + maxBackoff);
		}
	}

	/**
	 * The pause after the given failed attempt.
	 * @param failedAttempt the attempt that just conflicted, from 1
	 * @param random the source of jitter
	 * @return a pause in
	 * {@code [0, min(maxBackoff, initialBackoff * 2^(failedAttempt-1))]}
	 */
	public Duration backoffAfter(int failedAttempt, RandomGenerator random) {
		long cap = this.initialBackoff.toNanos();
		for (int i = 1; i < failedAttempt && cap < this.maxBackoff.toNanos(); i++) {
			cap *= 2;
		}
		cap = Math.min(cap, this.maxBackoff.toNanos());
		return (cap == 0) ? Duration.ZERO : Duration.ofNanos(random.nextLong(cap + 1));
	}

}
