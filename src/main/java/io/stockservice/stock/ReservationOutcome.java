package io.stockservice.stock;

/** How a request to create a reservation ended. */
public sealed interface ReservationOutcome {

	/**
	 * The units are held.
	 *
	 * @param reservation the reservation, as created
	 * @param replayed whether this answers a retry from the record of the first request
	 */
	record Held(Reservation reservation, boolean replayed) implements ReservationOutcome {
	}

	/**
	 * Nothing is held: {@code why} is one of {@link ReduceOutcome.Insufficient},
	 * {@link ReduceOutcome.UnknownSku}, {@link ReduceOutcome.Contention},
	 * {@link ReduceOutcome.KeyReused}, {@link ReduceOutcome.CorruptStock} or
	 * {@link ReduceOutcome.CorruptRecord}, as for a reduction.
	 *
	 * @param why the reason
	 * @param replayed whether this answers a retry from the record of the first request
	 */
	record Refused(ReduceOutcome why, boolean replayed) implements ReservationOutcome {
	}

}
