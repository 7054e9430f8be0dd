package io.stockservice.api;

import io.stockservice.stock.ReduceOutcome;

/** A reduction ended without taking stock; the outcome says why. */
class ReduceRefusedException extends RuntimeException {

	private final transient ReduceOutcome outcome;

	ReduceRefusedException(ReduceOutcome outcome) {
		super(outcome.toString(), null, false, false);
		this.outcome = outcome;
	}

	ReduceOutcome outcome() {
		return this.outcome;
	}

}
