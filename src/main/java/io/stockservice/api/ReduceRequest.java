package io.stockservice.api;

import java.util.List;

import io.stockservice.stock.Claim;
import io.stockservice.stock.Item;
import io.stockservice.stock.Sku;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /stock/reduce}: take {@code quantity} units (1 if absent) of a SKU's stock,
 * or, with {@code items}, every item of an order or none. Which of the two a body is, and
 * that it is not both, is checked by {@link #items(String)}: a SKU is required only when
 * there are no items, which a field annotation cannot say.
 *
 * @param sku the SKU
 * @param quantity the units to take, 1 if absent
 * @param items the items of an order, each SKU once
 */
record ReduceRequest(@Pattern(regexp = Sku.PATTERN, message = ValidSku.MESSAGE) String sku,
		@ValidQuantity Long quantity, @Size(min = 1, max = Claim.MAX_ITEMS,
				message = "must list 1 to " + Claim.MAX_ITEMS + " items") List<@NotNull @Valid ItemRequest> items) {

	boolean order() {
		return this.items != null;
	}

	/**
	 * The items the request asks for: its order's, or its one SKU's.
	 * @param field the name of the list, for refusals
	 * @throws InvalidFieldException if the body names no SKU, both shapes, or a SKU twice
	 */
	List<Item> items(String field) {
		if (this.items == null) {
			if (this.sku == null) {
				throw new InvalidFieldException("sku", ValidSku.MESSAGE);
			}
			return List.of(new Item(this.sku, (this.quantity != null) ? this.quantity : 1));
		}
		if (this.sku != null || this.quantity != null) {
			throw new InvalidFieldException(field, "cannot be combined with sku or quantity: an order names its SKUs "
					+ "and quantities in its items");
		}
		return ItemRequest.items(this.items, field);
	}

}
