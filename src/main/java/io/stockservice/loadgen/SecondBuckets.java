package io.stockservice.loadgen;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Successes and conflicts counted by the second of the run in which the coordinator heard
 * of them. Workers flush their reports every few milliseconds, so that is within a few
 * milliseconds of when they happened; and it needs no clock shared by the workers' JVMs.
 */
final class SecondBuckets {

	private long[] successes = new long[64];

	private long[] conflicts = new long[64];

	private int seconds;

	/**
	 * @param elapsedNanos the time since the workers were released
	 */
	void add(long elapsedNanos, long successes, long conflicts) {
		int second = (int) Math.min(Integer.MAX_VALUE - 1, TimeUnit.NANOSECONDS.toSeconds(Math.max(0, elapsedNanos)));
		if (second >= this.successes.length) {
			int length = Math.max(second + 1, this.successes.length * 2);
			this.successes = Arrays.copyOf(this.successes, length);
			this.conflicts = Arrays.copyOf(this.conflicts, length);
		}
		this.successes[second] += successes;
		this.conflicts[second] += conflicts;
		this.seconds = Math.max(this.seconds, second + 1);
	}

	/**
	 * @param durationNanos the run's length: its last, partial second counts as one
	 */
	LoadReport.PerSecond toPerSecond(long durationNanos) {
		int length = Math.max(this.seconds, (int) Math.ceil(durationNanos / 1e9));
		return new LoadReport.PerSecond(Arrays.copyOf(this.successes, length), Arrays.copyOf(this.conflicts, length));
	}

}
