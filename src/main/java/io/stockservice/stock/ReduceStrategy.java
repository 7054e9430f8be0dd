package io.stockservice.stock;

import java.util.List;

/**
 * Takes units from stock for a batch of claims, served in arrival order as if they had
 * come one by one. A single reduction is a batch of one. On a Redis Cluster every key of
 * a batch must lie in one hash slot (see {@link RedisSessions#slot}).
 */
public interface ReduceStrategy {

	/** The name used in configuration and in the {@code strategy} metric tag. */
	String name();

	/**
	 * @param claims the claims, in arrival order
	 * @param deadline when to stop trying
	 * @return one outcome per claim, in the same order
	 * @throws StockUnavailableException if Redis failed; the effect is then unknown
	 */
	List<ReduceOutcome> reduce(List<Claim> claims, Deadline deadline);

	/**
	 * The Redis Cluster hash slot of the keys of claims on the SKU alone, its stock and
	 * the records of its keyed claims (0 where there is no cluster): claims on SKUs of
	 * one slot may share a batch, claims of two slots cannot.
	 */
	int slot(String sku);

}
