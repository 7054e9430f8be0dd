package io.stockservice.stock;

/**
 * A stock key holds something that is not a stock level: garbage written by another
 * client, a negative number, or a key of another Redis type. The key is left exactly as
 * it was; an operator decides what the stock really is and sets it.
 */
public class CorruptStockException extends RuntimeException {

	private final String sku;

	public CorruptStockException(String sku) {
		super("The stock of " + sku + " is not a non-negative integer");
		this.sku = sku;
	}

	public String sku() {
		return this.sku;
	}

}
