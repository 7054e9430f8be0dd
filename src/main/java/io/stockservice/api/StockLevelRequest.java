package io.stockservice.api;

import io.stockservice.stock.StockLevel;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code PUT /stock/{sku}}: set the stock level.
 *
 * @param quantity the new level, 0 to 2^53
 */
record StockLevelRequest(
		@NotNull(message = "is required") @Min(value = 0, message = "must be between 0 and " + StockLevel.MAX) @Max(
				value = StockLevel.MAX, message = "must be between 0 and " + StockLevel.MAX) Long quantity) {

}
