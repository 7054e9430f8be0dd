package io.stockservice.loadgen;

/**
 * What the coordinator and the workers do to the stock: directly on Redis with the
 * service's own reduce algorithm ({@link RedisStockTarget}), or through the service's
 * HTTP API ({@link HttpStockTarget}).
 */
interface StockTarget extends AutoCloseable {

	/**
	 * @param target where
	 * @param strategy {@code watch} or {@code lua}, for a Redis target
	 * @param adminToken bearer token for setting the stock over HTTP, or {@code null}
	 * @param idempotent over HTTP, key every reduction and send it again until it is
	 * answered
	 */
	static StockTarget open(Target target, String strategy, String adminToken, boolean idempotent) {
		return switch (target.kind()) {
			case REDIS -> new RedisStockTarget(target.uri(), strategy);
			case HTTP -> new HttpStockTarget(target.uri(), adminToken, idempotent);
		};
	}

	/** Sets the SKU's stock level, replacing whatever was there. */
	void setStock(String sku, long level);

	/** Deletes the SKU's stock. */
	void delete(String sku);

	/**
	 * @return the SKU's stock level
	 * @throws IllegalStateException if the SKU has no stock
	 */
	long stock(String sku);

	/**
	 * One pass of the article's worker loop: takes {@code quantity} units, or says why
	 * not.
	 * @throws IllegalStateException if the SKU has no stock, or the target failed so that
	 * the call's effect is unknown
	 */
	Sale sell(String sku, long quantity);

	@Override
	void close();

}
