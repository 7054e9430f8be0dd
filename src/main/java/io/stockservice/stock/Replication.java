package io.stockservice.stock;

import java.time.Duration;

/**
 * How many replicas must confirm a write (WAIT) before it is acknowledged to a client,
 * and how long to wait for them at most (never past the request's deadline).
 * <p>
 * Redis replicates asynchronously: a master acknowledges a write before any replica has
 * it, and if the master fails then, the replica promoted in its place never had the
 * write. WAIT narrows that window: once it returns the required count, the write is on
 * that many replicas, and a failover that promotes one of them keeps it. It is not strong
 * consistency (a promoted replica may still be one that did not confirm), but it is what
 * Redis offers.
 *
 * @param replicas replicas that must confirm; 0 skips the wait
 * @param timeout the longest wait
 */
public record Replication(int replicas, Duration timeout) {

	public Replication {
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must be at least 0, was " + replicas);
		}
		if (timeout.isNegative()) {
			throw new IllegalArgumentException("The replication timeout must not be negative, was " + timeout);
		}
	}

	public static Replication none() {
		return new Replication(0, Duration.ZERO);
	}

	public boolean required() {
		return this.replicas > 0;
	}

	/**
	 * The WAIT timeout within the deadline, at least 1 ms: WAIT's 0 would mean wait
	 * forever.
	 */
	long timeoutMillis(Deadline deadline) {
		long remaining = deadline.remaining().toMillis();
		return Math.max(1, Math.min(this.timeout.toMillis(), remaining));
	}

	/**
	 * @throws ReplicationException if fewer replicas than required confirmed
	 */
	void check(RedisSession session, Reply<Long> confirmed) {
		long count = confirmed.value();
		if (count < this.replicas) {
			session.discard();
			throw new ReplicationException(count, this.replicas);
		}
	}

}
