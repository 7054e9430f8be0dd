package io.stockservice.api;

import io.stockservice.stock.Reservation;

/**
 * A confirm or a release found the reservation ended otherwise (released, confirmed or
 * expired): nothing changed.
 */
class ReservationEndedException extends RuntimeException {

	private final transient Reservation reservation;

	ReservationEndedException(Reservation reservation) {
		super("Reservation " + reservation.id() + " is " + reservation.state().tag(), null, false, false);
		this.reservation = reservation;
	}

	Reservation reservation() {
		return this.reservation;
	}

}
