package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hears what a reduction does, so that metrics (or a load-generator worker's counters)
 * attach from outside the algorithm. Called on the reducing thread; implementations must
 * be cheap, thread-safe and must not throw.
 */
public interface ReduceListener {

	ReduceListener NONE = new ReduceListener() {
	};

	/** A transaction (WATCH ... EXEC, or one script call) is about to start. */
	default void attempted() {
	}

	/**
	 * The stock keys of the SKUs are WATCHed and read, and the EXEC that decides the
	 * attempt comes next: a write to one of them by anyone else from now on aborts it.
	 * @param skus the SKUs being reduced
	 */
	default void watched(List<String> skus) {
	}

	/**
	 * A transaction is about to serve this many claims combined (see
	 * {@link RequestCombiner}).
	 */
	default void combined(int claims) {
	}

	/**
	 * An attempt lost its race: an EXEC aborted because a watched key changed first, or a
	 * Redis Cluster slot in migration.
	 */
	default void conflicted() {
	}

	/** A claim ended with an answer after the given number of transactions. */
	default void finished(Outcome outcome, int attempts, Duration elapsed) {
	}

	/**
	 * A claim ended without an answer: Redis failed, or replicas did not confirm its
	 * write.
	 */
	default void failed(Outcome outcome, Duration elapsed) {
	}

	/**
	 * A claim on several SKUs (an order) ended, after {@link #finished} or
	 * {@link #failed} told how, so that orders can be counted apart.
	 * @param items the SKUs it listed
	 */
	default void ordered(Outcome outcome, int items) {
	}

	/**
	 * The listener that a transaction serving these claims tells: this shared one, then
	 * the listener of each claim that has one ({@link Claim#heardBy}).
	 */
	static ReduceListener forBatch(ReduceListener shared, List<Claim> claims) {
		List<ReduceListener> listeners = new ArrayList<>(List.of(shared));
		for (Claim claim : claims) {
			if (claim.listener() != NONE) {
				listeners.add(claim.listener());
			}
		}
		return all(listeners);
	}

	/** One listener that tells each of the given ones, in order. */
	static ReduceListener all(List<? extends ReduceListener> listeners) {
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		List<ReduceListener> each = List.copyOf(listeners);
		return new ReduceListener() {

			@Override
			public void attempted() {
				each.forEach(ReduceListener::attempted);
			}

			@Override
			public void watched(List<String> skus) {
				each.forEach((listener) -> listener.watched(skus));
			}

			@Override
			public void combined(int claims) {
				each.forEach((listener) -> listener.combined(claims));
			}

			@Override
			public void conflicted() {
				each.forEach(ReduceListener::conflicted);
			}

			@Override
			public void finished(Outcome outcome, int attempts, Duration elapsed) {
				each.forEach((listener) -> listener.finished(outcome, attempts, elapsed));
			}

			@Override
			public void failed(Outcome outcome, Duration elapsed) {
				each.forEach((listener) -> listener.failed(outcome, elapsed));
			}

			@Override
			public void ordered(Outcome outcome, int items) {
				each.forEach((listener) -> listener.ordered(outcome, items));
			}

		};
	}

}
