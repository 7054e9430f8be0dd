package io.stockservice.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.stockservice.faults.ReduceLoad.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the calls on one SKU ended, counted as they end: the units acknowledged (200), the
 * units in doubt (503 {@code redis-unavailable}, timeouts, failed connections: taken or
 * not, nobody knows), and the calls of each kind.
 */
final class Tally {

	private final Map<Answer.Kind, LongAdder> calls = new EnumMap<>(Answer.Kind.class);

	private final LongAdder acknowledged = new LongAdder();

	private final LongAdder inDoubt = new LongAdder();

	private final LongAdder replays = new LongAdder();

	private final LongAdder retries = new LongAdder();

	Tally() {
		for (Answer.Kind kind : Answer.Kind.values()) {
			this.calls.put(kind, new LongAdder());
		}
	}

	void record(long quantity, Answer answer) {
		this.calls.get(answer.kind()).increment();
		if (answer.kind() == Answer.Kind.REDUCED) {
			this.acknowledged.add(answer.reduced());
		}
		if (answer.inDoubt()) {
			this.inDoubt.add(quantity);
		}
		if (answer.replayed()) {
			this.replays.increment();
		}
	}

	void retried() {
		this.retries.increment();
	}

	long acknowledged() {
		return this.acknowledged.sum();
	}

	long inDoubt() {
		return this.inDoubt.sum();
	}

	long calls(Answer.Kind kind) {
		return this.calls.get(kind).sum();
	}

	long successes() {
		return calls(Answer.Kind.REDUCED);
	}

	long replays() {
		return this.replays.sum();
	}

	long retries() {
		return this.retries.sum();
	}

	/**
	 * The fault invariant: the stock never went negative, every acknowledged unit was
	 * taken, and nothing was taken beyond the acknowledged units and those left in doubt.
	 * @param initial the stock before the run
	 * @param left the stock after it
	 */
	void assertAccountsFor(long initial, long left) {
		long applied = initial - left;
		assertThat(left).as("stock left").isNotNegative();
		assertThat(applied).as("units taken, for %s", this).isBetween(acknowledged(), acknowledged() + inDoubt());
	}

	@Override
	public String toString() {
		return "acknowledged " + acknowledged() + " units, " + inDoubt() + " in doubt; calls " + this.calls
				+ "; retries " + retries() + ", replays " + replays();
	}

}
