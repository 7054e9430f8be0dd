package io.stockservice.loadgen;

/**
 * What one worker did, as the invariants see it.
 *
 * @param pid the worker's process id
 * @param remainders the stock each of its successful reductions left, in its order
 * @param conflicts its transactions that another client's write aborted
 * @param attempts all of its transactions
 * @param resent its requests sent again with the same idempotency key
 * @param replays its answers that were replays of an earlier answer
 */
record WorkerResult(long pid, long[] remainders, long conflicts, long attempts, long resent, long replays) {

	WorkerResult(long pid, long[] remainders, long conflicts, long attempts) {
		this(pid, remainders, conflicts, attempts, 0, 0);
	}

	long successes() {
		return this.remainders.length;
	}

}
