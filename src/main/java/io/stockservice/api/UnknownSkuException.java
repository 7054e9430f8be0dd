package io.stockservice.api;

/** No stock key exists for the SKU. */
class UnknownSkuException extends RuntimeException {

	private final String sku;

	UnknownSkuException(String sku) {
		super("No stock for " + sku, null, false, false);
		this.sku = sku;
	}

	String sku() {
		return this.sku;
	}

}
