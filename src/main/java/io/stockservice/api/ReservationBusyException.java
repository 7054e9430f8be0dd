package io.stockservice.api;

/**
 * Every attempt to move a reservation lost its race to other writers of its keys, or the
 * deadline passed first: nothing changed, and the client may try again.
 */
class ReservationBusyException extends RuntimeException {

	private final String id;

	private final int attempts;

	ReservationBusyException(String id, int attempts) {
		super("Reservation " + id + " stayed contended", null, false, false);
		this.id = id;
		this.attempts = attempts;
	}

	String id() {
		return this.id;
	}

	int attempts() {
		return this.attempts;
	}

}
