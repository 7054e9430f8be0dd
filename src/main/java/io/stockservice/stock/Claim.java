package io.stockservice.stock;

/**
 * One request's claim on a SKU's stock.
 *
 * @param quantity the units asked for, at least 1
 * @param idempotencyKey the client's key for this logical request, or {@code null}: a
 * claim with a key is applied at most once, and its outcome is stored with the decrement
 * so that a retry gets the same answer
 */
public record Claim(long quantity, String idempotencyKey) {

	public Claim {
		if (quantity < 1) {
			throw new IllegalArgumentException("A claim takes at least 1 unit, was " + quantity);
		}
	}

	public static Claim of(long quantity) {
		return new Claim(quantity, null);
	}

	boolean keyed() {
		return this.idempotencyKey != null;
	}

}
