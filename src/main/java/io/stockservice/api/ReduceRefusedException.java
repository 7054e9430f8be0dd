package io.stockservice.api;

import io.stockservice.stock.ReduceOutcome;

/** A reduction ended without taking stock (now); the outcome says why. */
class ReduceRefusedException extends RuntimeException {

	private final transient ReduceOutcome outcome;

	private final boolean replayed;

	private final boolean order;

	ReduceRefusedException(ReduceOutcome outcome, boolean replayed) {
		this(outcome, replayed, false);
	}

	/**
	 * @param order whether the request listed {@code items} (an order or a reservation):
	 * its refusal then lists every item short, in {@code shortages}
	 */
	ReduceRefusedException(ReduceOutcome outcome, boolean replayed, boolean order) {
		super(outcome.toString(), null, false, false);
		this.outcome = outcome;
		this.replayed = replayed;
		this.order = order;
	}

	boolean order() {
		return this.order;
	}

	ReduceOutcome outcome() {
		return this.outcome;
	}

	/**
	 * Whether this answer is a replay of the first answer to the same idempotency key.
	 */
	boolean replayed() {
		return this.replayed;
	}

}
