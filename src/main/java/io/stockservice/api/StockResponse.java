package io.stockservice.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A SKU's stock level.
 *
 * @param sku the SKU
 * @param available the units in stock
 * @param reserved the units held by reservations now, out of {@code available}; only in
 * the answer of {@code GET}, which reads both together
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StockResponse(String sku, long available, Long reserved) {

	StockResponse(String sku, long available) {
		this(sku, available, null);
	}

}
