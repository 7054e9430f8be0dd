package io.stockservice.loadgen;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks a run ends with, on crafted worker results: a run that sold every unit once
 * passes, and each way of breaking an invariant is caught by that invariant.
 */
class InvariantsTests {

	static WorkerResult worker(long... remainders) {
		return new WorkerResult(1000 + remainders.length, remainders, 0, remainders.length);
	}

	@Test
	void allHoldWhenTwoWorkersSoldEveryUnitOnce() {
		Invariants invariants = Invariants.check(5, 0L, 1, List.of(worker(4, 2, 1), worker(3, 0)));

		assertThat(invariants).isEqualTo(new Invariants(true, true, true));
	}

	@Test
	void allHoldWhenReductionsOfSeveralUnitsLeaveLessThanOneReduction() {
		Invariants invariants = Invariants.check(10, 1L, 3, List.of(worker(7, 1), worker(4)));

		assertThat(invariants.allHold()).isTrue();
	}

	@Test
	void conservationFailsWhenTheWorkersSoldMoreThanTheStockLost() {
		// Three successes, but Redis shows only two units gone: a decrement was lost.
		Invariants invariants = Invariants.check(5, 3L, 1, List.of(worker(4, 2), worker(3)));

		assertThat(invariants.conservation()).isFalse();
	}

	@Test
	void conservationFailsWhenUnitsAreLeftThatCouldStillBeSold() {
		Invariants invariants = Invariants.check(5, 1L, 1, List.of(worker(4, 2), worker(3, 1)));

		assertThat(invariants.conservation()).isFalse();
	}

	@Test
	void conservationFailsWhenTheFinalStockCouldNotBeRead() {
		Invariants invariants = Invariants.check(2, null, 1, List.of(worker(1, 0)));

		assertThat(invariants.conservation()).isFalse();
	}

	@Test
	void noOversellFailsWhenASuccessLeftANegativeStock() {
		Invariants invariants = Invariants.check(2, 0L, 1, List.of(worker(1, 0), worker(-1)));

		assertThat(invariants.noOversell()).isFalse();
	}

	@Test
	void eachValueOnceFailsWhenTwoWorkersWereToldTheSameRemainder() {
		// Both read 3 and both decremented: the lost update that WATCH prevents.
		Invariants invariants = Invariants.check(4, 0L, 1, List.of(worker(3, 1), worker(3, 0)));

		assertThat(invariants.eachValueOnce()).isFalse();
	}

	@Test
	void eachValueOnceFailsWhenARemainderIsOutOfTheSequence() {
		// Two successes from 3 must have left 2 and 1; 0 means a unit went elsewhere.
		Invariants invariants = Invariants.check(3, 1L, 1, List.of(worker(2), worker(0)));

		assertThat(invariants.eachValueOnce()).isFalse();
	}

	@Test
	void eachValueOnceFailsWhenARemainderIsNotAWholeNumberOfReductionsAway() {
		Invariants invariants = Invariants.check(10, 1L, 3, List.of(worker(7, 2), worker(4)));

		assertThat(invariants.eachValueOnce()).isFalse();
	}

	@Test
	void exactlyOnceIsCheckedOnlyForIdempotentRuns() {
		assertThat(Invariants.check(5, 0L, 1, List.of(worker(4, 2, 1), worker(3, 0))).exactlyOnce()).isNull();
		assertThat(Invariants.check(5, 0L, 1, List.of(worker(4, 2, 1), worker(3, 0)), true))
			.isEqualTo(new Invariants(true, true, true, true));
	}

	/**
	 * A reduction whose answer was lost and that was not answered again took units nobody
	 * acknowledged: the stock lost more than was sold.
	 */
	@Test
	void exactlyOnceFailsWhenAUnitWasTakenButNeverAcknowledged() {
		Invariants invariants = Invariants.check(5, 0L, 1, List.of(worker(4, 2, 1), worker(0)), true);

		assertThat(invariants.exactlyOnce()).isFalse();
		assertThat(invariants.allHold()).isFalse();
	}

	/**
	 * A retry that took stock again instead of replaying shows as one remainder missing.
	 */
	@Test
	void exactlyOnceFailsWhenARetryTookStockAgain() {
		Invariants invariants = Invariants.check(5, 0L, 1, List.of(worker(4, 3, 2, 1, 0), worker(3)), true);

		assertThat(invariants.exactlyOnce()).isFalse();
	}

}
