package io.stockservice.stock;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A point in monotonic time by which an operation must finish. The clock is injected so
 * that tests can move time instead of waiting for it.
 */
public final class Deadline {

	private final long atNanos;

	private final LongSupplier nanoClock;

	private Deadline(long atNanos, LongSupplier nanoClock) {
		this.atNanos = atNanos;
		this.nanoClock = nanoClock;
	}

	public static Deadline after(Duration budget, LongSupplier nanoClock) {
		return new Deadline(nanoClock.getAsLong() + budget.toNanos(), nanoClock);
	}

	public static Deadline after(Duration budget) {
		return after(budget, System::nanoTime);
	}

	public Duration remaining() {
		return Duration.ofNanos(Math.max(0, this.atNanos - this.nanoClock.getAsLong()));
	}

	public boolean expired() {
		return this.atNanos - this.nanoClock.getAsLong() <= 0;
	}

}
