package io.stockservice.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent parts of a batch of claims: claims that name a common SKU, directly or
 * through other claims, are in one part; claims of different parts depend on no common
 * key (a claim's record lives in the slot of one of its own SKUs), so each part is
 * decided as if the others were not there.
 */
final class BatchParts {

	private BatchParts() {
	}

	/**
	 * @return the parts, each the indexes of its claims in arrival order, ordered by
	 * their first claim
	 */
	static List<List<Integer>> of(List<Claim> claims) {
		Map<String, String> parent = new HashMap<>();
		for (Claim claim : claims) {
			String first = root(parent, claim.items().get(0).sku());
			for (Item item : claim.items()) {
				String other = root(parent, item.sku());
				if (!other.equals(first)) {
					parent.put(other, first);
				}
			}
		}
		Map<String, List<Integer>> parts = new LinkedHashMap<>();
		for (int i = 0; i < claims.size(); i++) {
			parts.computeIfAbsent(root(parent, claims.get(i).items().get(0).sku()), (root) -> new ArrayList<>()).add(i);
		}
		return List.copyOf(parts.values());
	}

	private static String root(Map<String, String> parent, String sku) {
		String root = sku;
		for (String up = parent.get(root); up != null; up = parent.get(root)) {
			root = up;
		}
		if (!root.equals(sku)) {
			parent.put(sku, root);
		}
		return root;
	}

}
