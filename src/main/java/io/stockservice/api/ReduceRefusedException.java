package io.stockservice.api;

import io.stockservice.stock.ReduceOutcome;

/** A reduction ended without taking stock (now); the outcome says why. */
class ReduceRefusedException extends RuntimeException {

	private final transient ReduceOutcome outcome;

	private final boolean replayed;

	ReduceRefusedException(ReduceOutcome outcome, boolean replayed) {
		super(outcome.toString(), null, false, false);
		this.outcome = outcome;
		this.replayed = replayed;
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
