package io.stockservice.api;

import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /stock/{sku}/restock}: add units to an existing stock.
 *
 * @param quantity the units to add
 */
record RestockRequest(@NotNull(message = "is required") @ValidQuantity Long quantity) {

}
