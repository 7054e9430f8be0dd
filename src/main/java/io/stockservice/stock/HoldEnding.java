package io.stockservice.stock;

/** How a confirm or a release of a reservation ended. */
public sealed interface HoldEnding {

	/**
	 * The reservation has ended, in the state its anchor hold holds: the one asked for,
	 * or the one another call (or expiry) gave it first.
	 *
	 * @param reservation the reservation
	 * @param now whether this call ended it
	 */
	record Ended(Reservation reservation, boolean now) implements HoldEnding {
	}

	/** No such reservation (never made, or its retention has passed). */
	record Unknown() implements HoldEnding {
	}

	/** A SKU's stock or reserved units are not levels: nothing moved. */
	record CorruptStock(String sku) implements HoldEnding {
	}

	/** The reservation's hold holds something this service did not write. */
	record Unreadable() implements HoldEnding {
	}

	/** Every attempt lost its race, or the deadline passed: nothing moved. */
	record Contention(int attempts) implements HoldEnding {
	}

}
