package io.stockservice.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.stockservice.stock.Item;

/**
 * One item of an order or a reservation: {@code quantity} units (1 if absent) of a SKU.
 *
 * @param sku the SKU
 * @param quantity the units, 1 if absent
 */
record ItemRequest(@ValidSku String sku, @ValidQuantity Long quantity) {

	Item item() {
		return new Item(this.sku, (this.quantity != null) ? this.quantity : 1);
	}

	/**
	 * @throws InvalidFieldException if a SKU is listed twice: its quantities would be
	 * ambiguous (added? the last?), so the client must say
	 */
	static List<Item> items(List<ItemRequest> requests, String field) {
		Set<String> seen = new HashSet<>();
		for (ItemRequest request : requests) {
			if (!seen.add(request.sku())) {
				throw new InvalidFieldException(field, "lists the SKU " + request.sku() + " more than once");
			}
		}
		return requests.stream().map(ItemRequest::item).toList();
	}

}
