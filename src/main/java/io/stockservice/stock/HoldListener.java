package io.stockservice.stock;

import java.util.List;

/**
 * Hears what reservations do, so that metrics attach from outside. Called on the calling
 * thread (or the sweeper's); implementations must be cheap, thread-safe and must not
 * throw.
 */
public interface HoldListener {

	HoldListener NONE = new HoldListener() {
	};

	/** A reservation was created: its units are held. */
	default void held(List<Item> items) {
	}

	/**
	 * This instance ended a reservation (the move of its anchor hold was this
	 * instance's).
	 * @param state confirmed, released or expired
	 * @param items what it held
	 * @param lateMillis for an expiry, how long after {@code expiresAt} it happened
	 */
	default void ended(HoldState state, List<Item> items, long lateMillis) {
	}

	/**
	 * A request to create a reservation was answered with this outcome (a success, a
	 * replay, a refusal), or failed ({@link Outcome#UNAVAILABLE}).
	 */
	default void requested(Outcome outcome) {
	}

	/** One listener that tells each of the given ones, in order. */
	static HoldListener all(List<? extends HoldListener> listeners) {
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		List<HoldListener> each = List.copyOf(listeners);
		return new HoldListener() {

			@Override
			public void held(List<Item> items) {
				each.forEach((listener) -> listener.held(items));
			}

			@Override
			public void ended(HoldState state, List<Item> items, long lateMillis) {
				each.forEach((listener) -> listener.ended(state, items, lateMillis));
			}

			@Override
			public void requested(Outcome outcome) {
				each.forEach((listener) -> listener.requested(outcome));
			}

		};
	}

}
