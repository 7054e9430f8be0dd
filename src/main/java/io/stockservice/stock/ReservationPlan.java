package io.stockservice.stock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How a reservation (or an order) on some SKUs is carried out: one part per hash slot,
 * since one transaction cannot span slots of a Redis Cluster (elsewhere every key is in
 * one slot, and there is one part). The anchor part is the one of the smallest SKU: it is
 * created last, and its hold decides the fate of the whole; every other part follows it.
 *
 * @param id the reservation's id, naming the anchor SKU
 * @param order every item, in the client's order
 * @param anchor the anchor part
 * @param others the other parts, by their anchor SKU
 */
record ReservationPlan(String id, List<Item> order, Part anchor, List<Part> others) {

	/**
	 * @param items the items, each SKU once
	 * @param slotOfSku the hash slot of a SKU's stock key
	 */
	static ReservationPlan of(List<Item> items, ToIntFunction<String> slotOfSku) {
		Map<Integer, List<Item>> bySlot = new LinkedHashMap<>();
		items.forEach((item) -> bySlot.computeIfAbsent(slotOfSku.applyAsInt(item.sku()), (slot) -> new ArrayList<>())
			.add(item));
		List<Part> parts = bySlot.values()
			.stream()
			.map(Part::of)
			.sorted(Comparator.comparing(Part::anchorSku))
			.toList();
		return new ReservationPlan(ReservationId.next(parts.get(0).anchorSku()), items, parts.get(0),
				parts.subList(1, parts.size()));
	}

	String anchorSku() {
		return this.anchor.anchorSku();
	}

	/** Whether the reservation spans several hash slots. */
	boolean spans() {
		return !this.others.isEmpty();
	}

	DueEntry dueEntry() {
		return new DueEntry(this.id, this.others.stream().map(Part::anchorSku).toList());
	}

	/** The fields the anchor's hash gets: the whole order and the other parts. */
	Map<String, String> anchorFields() {
		return spans() ? HoldFields.anchorOf(this.order, this.dueEntry().otherParts()) : Map.of();
	}

	/**
	 * The items of one hash slot, in the client's order.
	 *
	 * @param anchorSku the smallest of its SKUs, after which its hold is named
	 * @param items its items
	 */
	record Part(String anchorSku, List<Item> items) {

		static Part of(List<Item> items) {
			String anchor = items.stream().map(Item::sku).min(String::compareTo).orElseThrow();
			return new Part(anchor, List.copyOf(items));
		}

	}

}
