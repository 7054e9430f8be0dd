package io.stockservice.stock;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the outcome of a keyed claim is kept, so that a retry with the same
 * {@code Idempotency-Key} is answered from it instead of taking stock again.
 * <p>
 * A record is written in the same atomic step as the decrement it describes (inside the
 * MULTI, or by the same Lua script), so there is never a decrement without its record or
 * a record without its decrement. Its value is
 * {@code kind|quantity|available|attempts|sku} with kind {@code R} (reduced), {@code I}
 * (insufficient) or {@code N} (no such SKU); {@code reduce.lua} writes the same format.
 * Only definitive answers are recorded: a claim that ran out of retries, or whose fate
 * Redis left unknown, is not, so its retry runs afresh.
 *
 * @param prefix prepended to a client's key to make the record's Redis key
 * @param ttl how long a record, and so the client's right to a replay, lasts
 */
public record IdempotencyRecords(String prefix, Duration ttl) {

	public static final String DEFAULT_PREFIX = "idempotency:";

	public static final Duration DEFAULT_TTL = Duration.ofHours(24);

	public IdempotencyRecords {
		Objects.requireNonNull(prefix, "prefix");
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("The record TTL must be at least 1 ms, was " + ttl);
		}
	}

	public static IdempotencyRecords defaults() {
		return new IdempotencyRecords(DEFAULT_PREFIX, DEFAULT_TTL);
	}

	/** The Redis key of the record of a client's idempotency key. */
	public String keyOf(String idempotencyKey) {
		return this.prefix + idempotencyKey;
	}

	/** The record of a definitive outcome. */
	static String encode(ReduceOutcome outcome, long quantity) {
		if (outcome instanceof ReduceOutcome.Reduced reduced) {
			return format('R', quantity, reduced.available(), reduced.attempts(), reduced.sku());
		}
		if (outcome instanceof ReduceOutcome.Insufficient insufficient) {
			return format('I', quantity, insufficient.available(), insufficient.attempts(), insufficient.sku());
		}
		if (outcome instanceof ReduceOutcome.UnknownSku unknown) {
			return format('N', quantity, 0, unknown.attempts(), unknown.sku());
		}
		throw new IllegalArgumentException("Only definitive outcomes are recorded, not " + outcome);
	}

	/**
	 * The outcome a record holds, as the claim that wrote it received it.
	 * @throws IllegalStateException if the value is not a record
	 */
	static ReduceOutcome decode(String record) {
		String[] parts = record.split("\\|", 5);
		try {
			long quantity = Long.parseLong(parts[1]);
			long available = Long.parseLong(parts[2]);
			int attempts = Integer.parseInt(parts[3]);
			String sku = parts[4];
			return switch (parts[0]) {
				case "R" -> new ReduceOutcome.Reduced(sku, quantity, available, attempts);
				case "I" -> new ReduceOutcome.Insufficient(sku, quantity, available, attempts);
				case "N" -> new ReduceOutcome.UnknownSku(sku, attempts);
				default -> throw new IllegalStateException("Not an idempotency record: " + record);
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Not an idempotency record: " + record, ex);
		}
	}

	/** Whether the record was written for the same request: the same SKU and quantity. */
	static boolean sameRequest(String record, String sku, long quantity) {
		String[] parts = record.split("\\|", 5);
		return parts.length == 5 && parts[4].equals(sku) && parts[1].equals(Long.toString(quantity));
	}

	private static String format(char kind, long quantity, long available, int attempts, String sku) {
		return kind + "|" + quantity + "|" + available + "|" + attempts + "|" + sku;
	}

}
