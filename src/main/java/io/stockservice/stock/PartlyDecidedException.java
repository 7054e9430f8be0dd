package io.stockservice.stock;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of independent parts, split after another client aborted its shared EXEC (see
 * {@link WatchReduceStrategy}), failed in one part after others were decided. The decided
 * claims' outcomes are true (their parts applied, or not, as the outcomes say), so they
 * are answered with them; only the other claims fail with the cause, whose effect on them
 * is unknown. A combiner unwraps this; a batch of one part never throws it.
 */
final class PartlyDecidedException extends StockUnavailableException {

	private static final long serialVersionUID = 1L;

	/** Each claim's outcome in batch order, {@code null} where it failed. */
	private final transient ReduceOutcome[] outcomes;

	PartlyDecidedException(ReduceOutcome[] outcomes, RuntimeException cause) {
		super("Part of a split batch failed: " + cause.getMessage(), cause);
		this.outcomes = outcomes.clone();
	}

	/** The outcome of the claim at the index, or {@code null} if it failed. */
	ReduceOutcome outcome(int index) {
		return this.outcomes[index];
	}

	/** The outcomes, {@code null} where a claim failed; for tests. */
	List<ReduceOutcome> outcomes() {
		return Arrays.asList(this.outcomes.clone());
	}

	/** What the claims without an outcome failed with. */
	RuntimeException failure() {
		return (RuntimeException) getCause();
	}

}
