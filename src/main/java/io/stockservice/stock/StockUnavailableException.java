package io.stockservice.stock;

/**
 * Redis could not be reached, refused the command, or did not answer in time. When this
 * interrupts a reduction, its effect is unknown: an EXEC whose reply was lost may have
 * run.
 */
public class StockUnavailableException extends RuntimeException {

	public StockUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
