package io.stockservice.api;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the API reports, each with a stable {@code type} URI (RFC 9457)
 * that clients can switch on.
 */
enum ProblemType {

	INVALID_REQUEST("invalid-request", "Invalid request", HttpStatus.BAD_REQUEST),
	AUTHENTICATION_REQUIRED("authentication-required", "Authentication required", HttpStatus.UNAUTHORIZED),
	ACCESS_DENIED("access-denied", "Access denied", HttpStatus.FORBIDDEN),
	PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE),
	UNKNOWN_SKU("unknown-sku", "Unknown SKU", HttpStatus.NOT_FOUND),
	INSUFFICIENT_STOCK("insufficient-stock", "Insufficient stock", HttpStatus.CONFLICT),
	UNKNOWN_RESERVATION("unknown-reservation", "Unknown reservation", HttpStatus.NOT_FOUND),
	RESERVATION_CONFIRMED("reservation-confirmed", "Reservation confirmed", HttpStatus.CONFLICT),
	RESERVATION_RELEASED("reservation-released", "Reservation released", HttpStatus.CONFLICT),
	RESERVATION_EXPIRED("reservation-expired", "Reservation expired", HttpStatus.CONFLICT),
	IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency key reused", HttpStatus.UNPROCESSABLE_CONTENT),
	CONTENTION("contention", "Too much contention", HttpStatus.SERVICE_UNAVAILABLE),
	REDIS_UNAVAILABLE("redis-unavailable", "Stock store unavailable", HttpStatus.SERVICE_UNAVAILABLE),
	CORRUPT_STOCK("corrupt-stock", "Corrupt stock value", HttpStatus.INTERNAL_SERVER_ERROR),
	CORRUPT_IDEMPOTENCY_RECORD("corrupt-idempotency-record", "Corrupt idempotency record",
			HttpStatus.INTERNAL_SERVER_ERROR),
	CORRUPT_RESERVATION("corrupt-reservation", "Corrupt reservation", HttpStatus.INTERNAL_SERVER_ERROR),
	INTERNAL_ERROR("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR);

	static final String BASE = "https://stockservice.io/problems/";

	private final URI type;

	private final String title;

	private final HttpStatus status;

	ProblemType(String slug, String title, HttpStatus status) {
		this.type = URI.create(BASE + slug);
		this.title = title;
		this.status = status;
	}

	URI type() {
		return this.type;
	}

	String title() {
		return this.title;
	}

	HttpStatus status() {
		return this.status;
	}

}
