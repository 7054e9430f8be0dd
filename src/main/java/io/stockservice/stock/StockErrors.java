package io.stockservice.stock;

/** What an error reply from Redis means for the service. */
final class StockErrors {

	private StockErrors() {
	}

	/**
	 * WRONGTYPE means the stock key is not a string at all: as corrupt as garbage in it.
	 * Any other error is Redis refusing to serve.
	 */
	static RuntimeException translate(String sku, RedisErrorReply error) {
		if (error.wrongType()) {
			return new CorruptStockException(sku);
		}
		return refused(error);
	}

	/**
	 * Redis refused to serve (LOADING, OOM, NOREPLICAS, CLUSTERDOWN, NOAUTH...); the
	 * command was not applied.
	 */
	static StockUnavailableException refused(RedisErrorReply error) {
		if (error.noReplicas()) {
			return ReplicationException.refused(error);
		}
		return new StockUnavailableException("Redis refused the command: " + error.getMessage(), error);
	}

}
