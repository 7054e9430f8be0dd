package io.stockservice.stock;

/**
 * The deadline passed before the work could start (no connection came free): nothing was
 * sent to Redis, so nothing happened.
 */
public class DeadlineExceededException extends RuntimeException {

	public DeadlineExceededException(String message, Throwable cause) {
		super(message, cause);
	}

}
