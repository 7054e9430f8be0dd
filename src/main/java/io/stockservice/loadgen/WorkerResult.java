package io.stockservice.loadgen;

/**
 * What one worker did, as the invariants and the report see it.
 *
 * @param pid the worker's process id
 * @param target the URI of the target it reduced on
 * @param remainders the stock each of its successful reductions left, in its order
 * @param latencyNanos the time of each of its successful reductions, in its order
 * @param conflicts its transactions that another client's write aborted
 * @param attempts all of its transactions
 * @param resent its requests sent again with the same idempotency key
 * @param replays its answers that were replays of an earlier answer
 */
record WorkerResult(long pid, String target, long[] remainders, long[] latencyNanos, long conflicts, long attempts,
		long resent, long replays) {

	/** A worker of a run on the default target, for tests of what follows from it. */
	WorkerResult(long pid, long[] remainders, long conflicts, long attempts) {
		this(pid, LoadOptions.DEFAULT_TARGET, remainders, new long[0], conflicts, attempts, 0, 0);
	}

	long successes() {
		return this.remainders.length;
	}

}
