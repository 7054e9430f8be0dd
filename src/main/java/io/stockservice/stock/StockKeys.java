package io.stockservice.stock;

import java.util.Objects;

/**
 * Where a SKU's stock lives in Redis: a prefix and the SKU. Under the default prefix
 * {@code stock:} the SKU {@code count} is the article's own key {@code stock:count}, so
 * the service and the article's clients can sell from the same counter.
 *
 * @param prefix prepended to every SKU
 */
public record StockKeys(String prefix) {

	public static final String DEFAULT_PREFIX = "stock:";

	public StockKeys {
		Objects.requireNonNull(prefix, "prefix");
	}

	public String of(String sku) {
		return this.prefix + sku;
	}

}
