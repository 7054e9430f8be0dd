package io.stockservice.stock;

import java.util.List;

/**
 * How one claim on stock ended. An unreachable Redis is not an outcome but an exception
 * ({@link StockUnavailableException}): it ends every claim of the transaction alike, and
 * leaves each one's effect unknown.
 */
public sealed interface ReduceOutcome {

	/**
	 * The SKU the outcome is about: the claim's only SKU, or for a claim on several, the
	 * one at fault (unknown, corrupt) or the first listed.
	 */
	String sku();

	/** The transactions this claim took part in, from 1 (0 if none was started). */
	int attempts();

	Outcome kind();

	/** What one item of a granted claim took, and the stock it left. */
	record Line(String sku, long reduced, long available) {
	}

	/** An item that did not fit: it asked for more than was left. */
	record Shortage(String sku, long requested, long available) {
	}

	/**
	 * Every item was taken; each line's {@code available} is what the claim left of that
	 * SKU, in arrival order.
	 */
	record Reduced(List<Line> lines, int attempts) implements ReduceOutcome {

		public Reduced {
			lines = List.copyOf(lines);
		}

		/** A claim on one SKU. */
		public Reduced(String sku, long reduced, long available, int attempts) {
			this(List.of(new Line(sku, reduced, available)), attempts);
		}

		@Override
		public String sku() {
			return this.lines.get(0).sku();
		}

		/** The units taken of the first (for a claim on one SKU, the only) item. */
		public long reduced() {
			return this.lines.get(0).reduced();
		}

		/** The stock left of the first (for a claim on one SKU, the only) item. */
		public long available() {
			return this.lines.get(0).available();
		}

		@Override
		public Outcome kind() {
			return Outcome.SUCCESS;
		}

	}

	/** At least one item asked for more units than were left; nothing was taken. */
	record Insufficient(List<Shortage> shortages, int attempts) implements ReduceOutcome {

		public Insufficient {
			shortages = List.copyOf(shortages);
		}

		/** A claim on one SKU. */
		public Insufficient(String sku, long requested, long available, int attempts) {
			this(List.of(new Shortage(sku, requested, available)), attempts);
		}

		@Override
		public String sku() {
			return this.shortages.get(0).sku();
		}

		public long requested() {
			return this.shortages.get(0).requested();
		}

		public long available() {
			return this.shortages.get(0).available();
		}

		@Override
		public Outcome kind() {
			return Outcome.INSUFFICIENT;
		}

	}

	/**
	 * No stock key exists for the SKU (the first such of the claim); nothing was taken.
	 */
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
	 * The idempotency key was first used for a different request (other items or
	 * quantities); nothing was taken.
	 */
	record KeyReused(String sku, String idempotencyKey, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.KEY_REUSED;
		}

	}

	/**
	 * The SKU's stock key holds something that is not a stock level; nothing was taken,
	 * and the key was left untouched.
	 */
	record CorruptStock(String sku, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.CORRUPT;
		}

	}

	/**
	 * The claim's idempotency record holds something that is not a record of this service
	 * for this SKU (another application's key, or damage); nothing was taken for the
	 * claim and the key was left untouched. Other claims are not affected.
	 */
	record CorruptRecord(String sku, String key, int attempts) implements ReduceOutcome {

		@Override
		public Outcome kind() {
			return Outcome.CORRUPT_RECORD;
		}

	}

}
