package io.stockservice.stock;

import java.util.ArrayList;
import java.util.List;

/** The refusal of items from the levels found for them, as {@link BatchPlan} decides. */
final class ReduceRefusals {

	private ReduceRefusals() {
	}

	/**
	 * @param items the items, in the client's order
	 * @param levels each item's level, {@code null} where the SKU has no stock
	 * @return {@link ReduceOutcome.UnknownSku} naming the first SKU without stock, else
	 * {@link ReduceOutcome.Insufficient} listing every item that does not fit
	 */
	static ReduceOutcome of(List<Item> items, List<Long> levels) {
		int unknown = levels.indexOf(null);
		if (unknown >= 0) {
			return new ReduceOutcome.UnknownSku(items.get(unknown).sku(), 1);
		}
		List<ReduceOutcome.Shortage> shortages = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			if (items.get(i).quantity() > levels.get(i)) {
				shortages.add(new ReduceOutcome.Shortage(items.get(i).sku(), items.get(i).quantity(), levels.get(i)));
			}
		}
		return new ReduceOutcome.Insufficient(shortages, 1);
	}

}
