package io.stockservice.stock;

/**
 * How one claim on a SKU's stock ended. Corrupt values and an unreachable Redis are not
 * outcomes but exceptions ({@link CorruptStockException},
 * {@link StockUnavailableException}): they end every claim of the transaction alike.
 */
public sealed interface ReduceOutcome {

	String sku();

	/** The transactions this claim took part in, from 1 (0 if none was started). */
	int attempts();

	Outcome kind();

	/**
	 * The units were taken; {@code available} is what the claim left, in arrival order.
	 */
	record Reduced(String sku, long reduced, long available, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.SUCCESS;
		}

	}

	/** Fewer units than requested were left; nothing was taken. */
	record Insufficient(String sku, long requested, long available, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.INSUFFICIENT;
		}

	}

	/** No stock key exists for the SKU; nothing was written. */
	record UnknownSku(String sku, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.NOT_FOUND;
		}

	}

	/**
	 * Every attempt lost its race, or the deadline passed first; nothing was taken and
	 * the caller may try again later.
	 */
	record Contention(String sku, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.CONTENTION;
		}

	}

	/**
	 * A retry of a keyed claim that was already answered: nothing was taken now, and the
	 * client gets the first answer again.
	 */
	record Replayed(ReduceOutcome original, int attempts) implements ReduceOutcome {

		@Override
		public String sku() {
			return this.original.sku();
		}

		@Override
		public Outcome kind() {
			return Outcome.REPLAYED;
		}

	}

	/**
	 * The idempotency key was first used for a different request (another SKU or
	 * quantity); nothing was taken.
	 */
	record KeyReused(String sku, String idempotencyKey, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.KEY_REUSED;
		}

	}

}
