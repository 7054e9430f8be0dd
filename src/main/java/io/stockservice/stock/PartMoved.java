package io.stockservice.stock;

/** How a {@link PartMove} ended. Only {@link Moved} (and a void mark) wrote. */
sealed interface PartMoved {

	/** This move took the part out of held: it alone did. */
	record Moved(Hold hold) implements PartMoved {
	}

	/** The part had ended before (this move changed nothing). */
	record Ended(Hold hold) implements PartMoved {
	}

	/** {@code EXPIRE} of a part whose time has not run out yet: left held. */
	record NotDue(Hold hold) implements PartMoved {
	}

	/**
	 * No hold exists.
	 *
	 * @param voided whether its time had run out, so that this move marked it void and no
	 * creation can land any more
	 */
	record Missing(boolean voided) implements PartMoved {
	}

	/**
	 * A SKU's stock or reserved units are not levels; nothing was written, and the keys
	 * were left untouched.
	 */
	record CorruptStock(String sku) implements PartMoved {
	}

	/** The hold's key holds something that is not a hold this service wrote. */
	record Unreadable() implements PartMoved {
	}

	/** Every attempt lost its race to other writers, or the deadline passed first. */
	record Contention(int attempts) implements PartMoved {
	}

}
