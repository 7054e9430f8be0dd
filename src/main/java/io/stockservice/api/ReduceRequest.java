package io.stockservice.api;

/**
 * {@code POST /stock/reduce}: take {@code quantity} units (1 if absent) of a SKU's stock.
 *
 * @param sku the SKU
 * @param quantity the units to take, 1 if absent
 */
record ReduceRequest(@ValidSku String sku, @ValidQuantity Long quantity) {

	long quantityOrDefault() {
		return (this.quantity != null) ? this.quantity : 1;
	}

}
