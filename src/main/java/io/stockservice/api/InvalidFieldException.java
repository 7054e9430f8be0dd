package io.stockservice.api;

/** A field of an otherwise well-formed request cannot be served as it is. */
class InvalidFieldException extends RuntimeException {

	private final String field;

	private final String reason;

	InvalidFieldException(String field, String reason) {
		super(field + ": " + reason, null, false, false);
		this.field = field;
		this.reason = reason;
	}

	String field() {
		return this.field;
	}

	String reason() {
		return this.reason;
	}

}
