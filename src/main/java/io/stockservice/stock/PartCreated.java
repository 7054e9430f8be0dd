package io.stockservice.stock;

import java.util.List;

/** How a {@link PartCreation} ended. Only {@link Taken} wrote stock. */
sealed interface PartCreated {

	/**
	 * Every item fitted and was taken ({@code CHECK}: would have been).
	 *
	 * @param available what each item left in {@code available}
	 */
	record Taken(List<Long> available) implements PartCreated {
	}

	/**
	 * At least one item did not fit or has no stock; nothing was written. Also the answer
	 * of every {@code CHECK}.
	 *
	 * @param levels each item's level, {@code null} where the SKU has no stock
	 */
	record Refused(List<Long> levels) implements PartCreated {
	}

	/** The idempotency record exists: nothing was written; the caller reads it. */
	record RecordFound(String record) implements PartCreated {
	}

	/** The idempotency record's key holds another Redis type; nothing was written. */
	record RecordUnreadable() implements PartCreated {
	}

	/**
	 * The SKU's stock or reserved units are not a level; nothing was written, and the
	 * keys were left untouched.
	 */
	record CorruptStock(String sku) implements PartCreated {
	}

	/** Redis time had reached {@code expiresAt}: a hold born expired is not made. */
	record Late() implements PartCreated {
	}

	/**
	 * The hold's key exists already: the sweeper voided it (its creation came too late),
	 * or another value sits there. Nothing was written.
	 */
	record Exists() implements PartCreated {
	}

	/** Every attempt lost its race to other writers, or the deadline passed first. */
	record Contention(int attempts) implements PartCreated {
	}

}
