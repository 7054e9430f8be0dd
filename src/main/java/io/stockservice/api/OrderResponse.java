package io.stockservice.api;

import java.util.List;

import io.stockservice.stock.ReduceOutcome;

/**
 * A successful order: every item was taken.
 *
 * @param items what each item took and the stock it left, in the order requested
 * @param attempts the transactions it took
 */
record OrderResponse(List<Line> items, int attempts) {

	static OrderResponse of(ReduceOutcome.Reduced reduced) {
		return new OrderResponse(
				reduced.lines().stream().map((line) -> new Line(line.sku(), line.reduced(), line.available())).toList(),
				reduced.attempts());
	}

	/**
	 * @param sku the SKU
	 * @param reduced the units taken
	 * @param available the stock the order left
	 */
	record Line(String sku, long reduced, long available) {
	}

}
