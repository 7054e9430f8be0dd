package io.stockservice.api;

/**
 * A SKU's stock level.
 *
 * @param sku the SKU
 * @param available the units in stock
 */
record StockResponse(String sku, long available) {

}
