package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys a batch of claims depends on: the stock of each SKU it names (each once, in
 * the order first named) and the record of each keyed claim (each once).
 *
 * @param skus the SKUs
 * @param stockKeys the stock key of each SKU
 * @param recordKeys the distinct record keys
 */
record BatchKeys(List<String> skus, Map<String, String> stockKeys, List<String> recordKeys) {

	static BatchKeys of(List<Claim> claims, StockKeys keys) {
		Map<String, String> stockKeys = new LinkedHashMap<>();
		Set<String> recordKeys = new LinkedHashSet<>();
		for (Claim claim : claims) {
			claim.items().forEach((item) -> stockKeys.computeIfAbsent(item.sku(), keys::stock));
			if (claim.keyed()) {
				recordKeys.add(keys.record(claim.anchorSku(), claim.idempotencyKey()));
			}
		}
		return new BatchKeys(List.copyOf(stockKeys.keySet()), stockKeys, List.copyOf(recordKeys));
	}

	/** The key whose master serves the batch: its first SKU's stock key. */
	String routingKey() {
		return this.stockKeys.get(this.skus.get(0));
	}

	/** Every key, stock keys first. */
	List<String> all() {
		List<String> all = new ArrayList<>(this.stockKeys.values());
		all.addAll(this.recordKeys);
		return all;
	}

}
