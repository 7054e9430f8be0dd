package io.stockservice.stock;

import io.lettuce.core.RedisCommandExecutionException;

/** What an error reply from Redis means for a stock key. */
final class StockErrors {

	private StockErrors() {
	}

	/**
	 * WRONGTYPE means the stock key is not a string at all: as corrupt as garbage in it.
	 * Any other error (LOADING, OOM, READONLY, NOAUTH, ...) is Redis refusing to serve.
	 */
	static RuntimeException translate(String sku, RedisCommandExecutionException error) {
		String message = String.valueOf(error.getMessage());
		if (message.startsWith("WRONGTYPE")) {
			return new CorruptStockException(sku);
		}
		return new StockUnavailableException("Redis refused the command: " + message, error);
	}

}
