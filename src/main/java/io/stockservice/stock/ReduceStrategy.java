package io.stockservice.stock;

import java.util.List;

/**
 * Takes units from one SKU's stock for a batch of claims, served in arrival order as if
 * they had come one by one. A single reduction is a batch of one.
 */
public interface ReduceStrategy {

	/** The name used in configuration and in the {@code strategy} metric tag. */
	String name();

	/**
	 * @param sku the SKU to take from
	 * @param claims the claims, in arrival order
	 * @param deadline when to stop trying
	 * @return one outcome per claim, in the same order
	 * @throws CorruptStockException if the stock key holds something that is not a stock
	 * level
	 * @throws StockUnavailableException if Redis failed; the effect is then unknown
	 */
	List<ReduceOutcome> reduce(String sku, List<Claim> claims, Deadline deadline);

}
