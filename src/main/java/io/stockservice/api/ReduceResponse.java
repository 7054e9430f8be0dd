package io.stockservice.api;

/**
 * A successful reduction.
 *
 * @param sku the SKU
 * @param reduced the units taken
 * @param available the stock this reduction left; under concurrency each value is seen
 * once
 * @param attempts the transactions it took (1 when nobody else wrote the stock meanwhile)
 */
record ReduceResponse(String sku, long reduced, long available, int attempts) {

}
