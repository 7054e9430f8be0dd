package io.stockservice.stock;

/**
 * One request's claim on a SKU's stock.
 *
 * @param quantity the units asked for, at least 1
 * @param idempotencyKey the client's key for this logical request, or {@code null}: a
 * claim with a key is applied at most once, and its outcome is stored with the decrement
 * so that a retry gets the same answer
 * @param listener hears the transactions that serve this claim, and only those
 * ({@link ReduceListener#attempted}, {@link ReduceListener#watched},
 * {@link ReduceListener#combined}, {@link ReduceListener#conflicted}), on the thread that
 * runs them, which with combining is not the caller's; {@link ReduceListener#NONE} for
 * none
 */
public record Claim(long quantity, String idempotencyKey, ReduceListener listener) {

	public Claim {
		if (quantity < 1) {
			throw new IllegalArgumentException("A claim takes at least 1 unit, was " + quantity);
		}
		listener = (listener != null) ? listener : ReduceListener.NONE;
	}

	public Claim(long quantity, String idempotencyKey) {
		this(quantity, idempotencyKey, ReduceListener.NONE);
	}

	public static Claim of(long quantity) {
		return new Claim(quantity, null);
	}

	/**
	 * This claim, its transactions heard by the given listener: how a caller follows its
	 * own claim through a combined transaction (e.g. into its request's trace).
	 */
	public Claim heardBy(ReduceListener listener) {
		return new Claim(this.quantity, this.idempotencyKey, listener);
	}

	boolean keyed() {
		return this.idempotencyKey != null;
	}

}
