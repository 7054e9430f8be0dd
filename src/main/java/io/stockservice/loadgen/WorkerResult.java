package io.stockservice.loadgen;

/**
 * What one worker did, as the invariants see it.
 *
 * @param pid the worker's process id
 * @param remainders the stock each of its successful reductions left, in its order
 * @param conflicts its transactions that another client's write aborted
 * @param attempts all of its transactions
 */
record WorkerResult(long pid, long[] remainders, long conflicts, long attempts) {

	long successes() {
		return this.remainders.length;
	}

}
