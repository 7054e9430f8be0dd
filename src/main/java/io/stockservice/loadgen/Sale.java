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

	/**
	 * Times the call's request was sent again with the same idempotency key, after a 503
	 * or a timeout ({@code --idempotent} only).
	 */
	default long resent() {
		return 0;
	}

	/**
	 * Whether the answer was a replay of an earlier answer to the same idempotency key.
	 */
	default boolean replayed() {
		return false;
	}

	/** The units were taken; {@code available} is what this call left. */
	record Sold(long available, long attempts, long conflicts, long resent, boolean replayed) implements Sale {

		Sold(long available, long attempts, long conflicts) {
			this(available, attempts, conflicts, 0, false);
		}

	}

	/** Fewer units than asked for are left: the worker's loop ends. */
	record SoldOut(long available, long attempts, long conflicts, long resent, boolean replayed) implements Sale {

		SoldOut(long available, long attempts, long conflicts) {
			this(available, attempts, conflicts, 0, false);
		}

	}

	/** Every attempt lost its race, or the deadline passed: the worker tries again. */
	record Contended(long attempts, long conflicts) implements Sale {
	}

}
