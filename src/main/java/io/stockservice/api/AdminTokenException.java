package io.stockservice.api;

/** An admin operation was called without the admin token. */
class AdminTokenException extends RuntimeException {

	/** What was wrong with the caller's credentials. */
	enum Reason {

		/** No {@code Authorization} header: 401. */
		MISSING,

		/** An {@code Authorization} header that is not {@code Bearer <token>}: 401. */
		MALFORMED,

		/** A bearer token, but not the admin token: 403. */
		REJECTED

	}

	private final Reason reason;

	AdminTokenException(Reason reason) {
		super(reason.name(), null, false, false);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

}
