package io.stockservice.stock;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One request's claim on stock: one or more items, all granted or none.
 *
 * @param items what is asked for, each SKU once, in the order the client listed them
 * @param idempotencyKey the client's key for this logical request, or {@code null}: a
 * claim with a key is applied at most once, and its outcome is stored with the decrement
 * so that a retry gets the same answer
 * @param listener hears the transactions that serve this claim, and only those
 * ({@link ReduceListener#attempted}, {@link ReduceListener#watched},
 * {@link ReduceListener#combined}, {@link ReduceListener#conflicted}), on the thread that
 * runs them, which with combining is not the caller's; {@link ReduceListener#NONE} for
 * none
 */
public record Claim(List<Item> items, String idempotencyKey, ReduceListener listener) {

	/** The most items one claim may list. */
	public static final int MAX_ITEMS = 100;

	public Claim {
		items = List.copyOf(items);
		if (items.isEmpty() || items.size() > MAX_ITEMS) {
			throw new IllegalArgumentException("A claim lists 1 to " + MAX_ITEMS + " items, was " + items.size());
		}
		Set<String> skus = new HashSet<>();
		for (Item item : items) {
			if (!skus.add(item.sku())) {
				throw new IllegalArgumentException("A claim lists each SKU once, " + item.sku() + " twice");
			}
		}
		listener = (listener != null) ? listener : ReduceListener.NONE;
	}

	public Claim(List<Item> items, String idempotencyKey) {
		this(items, idempotencyKey, ReduceListener.NONE);
	}

	/**
	 * This claim, its transactions heard by the given listener: how a caller follows its
	 * own claim through a combined transaction (e.g. into its request's trace).
	 */
	public Claim heardBy(ReduceListener listener) {
		return new Claim(this.items, this.idempotencyKey, listener);
	}

	public static Claim of(String sku, long quantity) {
		return new Claim(List.of(new Item(sku, quantity)), null);
	}

	public static Claim keyed(String sku, long quantity, String idempotencyKey) {
		return new Claim(List.of(new Item(sku, quantity)), idempotencyKey);
	}

	public boolean keyed() {
		return this.idempotencyKey != null;
	}

	/** Whether the claim is on one SKU alone, as {@code {"sku":..,"quantity":..}} is. */
	public boolean single() {
		return this.items.size() == 1;
	}

	public List<String> skus() {
		return this.items.stream().map(Item::sku).toList();
	}

	/**
	 * The SKU in whose hash slot the claim's idempotency record lives: the smallest of
	 * its SKUs, so that the same items listed in another order still find the record (and
	 * are then refused as another request rather than taken twice).
	 */
	public String anchorSku() {
		String anchor = this.items.get(0).sku();
		for (Item item : this.items) {
			if (item.sku().compareTo(anchor) < 0) {
				anchor = item.sku();
			}
		}
		return anchor;
	}

}
