package io.stockservice.loadgen;

/**
 * How one reduction call of a worker ended, whichever the target: what the article's
 * worker sees of one pass of its loop.
 */
sealed interface Sale {

	/** Transactions the call took (each WATCH ... EXEC, or script run). */
	long attempts();

	/** Transactions of the call that another client's write aborted. */
	long conflicts();

	/** The units were taken; {@code available} is what this call left. */
	record Sold(long available, long attempts, long conflicts) implements Sale {
	}

	/** Fewer units than asked for are left: the worker's loop ends. */
	record SoldOut(long available, long attempts, long conflicts) implements Sale {
	}

	/** Every attempt lost its race, or the deadline passed: the worker tries again. */
	record Contended(long attempts, long conflicts) implements Sale {
	}

}
