package io.stockservice.stock;

/** What an error reply from Redis means for a stock key. */
final class StockErrors {

	private StockErrors() {
	}

	/**
	 * WRONGTYPE means the stock key is not a string at all: as corrupt as garbage in it.
	 * Any other error (LOADING, OOM, READONLY, NOAUTH, ...) is Redis refusing to serve.
	 */
	static RuntimeException translate(String sku, RedisErrorReply error) {
		if (error.wrongType()) {
			return new CorruptStockException(sku);
		}
		return new StockUnavailableException("Redis refused the command: " + error.getMessage(), error);
	}

}
