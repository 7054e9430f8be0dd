package io.stockservice.stock;

import java.util.Objects;

/**
 * Units of one SKU that a claim asks for.
 *
 * @param sku the SKU
 * @param quantity the units, at least 1
 */
public record Item(String sku, long quantity) {

	public Item {
		Objects.requireNonNull(sku, "sku");
		if (quantity < 1) {
			throw new IllegalArgumentException("An item takes at least 1 unit, was " + quantity);
		}
	}

}
