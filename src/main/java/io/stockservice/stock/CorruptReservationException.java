package io.stockservice.stock;

/**
 * A reservation's hold holds something that is not a hold this service wrote (another
 * application's key, or damage). It is left untouched.
 */
public class CorruptReservationException extends RuntimeException {

	private final String id;

	public CorruptReservationException(String id) {
		super("The hold of reservation " + id + " is not one this service wrote", null, false, false);
		this.id = id;
	}

	public String id() {
		return this.id;
	}

}
