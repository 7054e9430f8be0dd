package io.stockservice.loadgen;

import java.util.Arrays;

/** A growing array of longs: a run's remainders and latencies, without boxing. */
final class LongSamples {

	private long[] values = new long[256];

	private int size;

	void add(long value) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = value;
	}

	long[] toArray() {
		return Arrays.copyOf(this.values, this.size);
	}

}
