package io.stockservice.api;

/** No reservation has the id (never made, or its retention has passed). */
class UnknownReservationException extends RuntimeException {

	private final String id;

	UnknownReservationException(String id) {
		super("No reservation " + id, null, false, false);
		this.id = id;
	}

	String id() {
		return this.id;
	}

}
