package io.stockservice.stock;

import java.util.ArrayList;
import java.util.List;

/**
 * Serves a batch of claims from one reading of the stock, in arrival order, exactly as if
 * they had come one after another: a claim that fits takes its units and sees what it
 * leaves; a claim that does not fit takes nothing and sees what was left, and later,
 * smaller claims may still fit.
 */
final class Allocation {

	private final String sku;

	private final long stock;

	private final List<Long> quantities;

	private final long granted;

	private Allocation(String sku, long stock, List<Long> quantities) {
		this.sku = sku;
		this.stock = stock;
		this.quantities = quantities;
		long left = stock;
		for (long quantity : quantities) {
			if (quantity <= left) {
				left -= quantity;
			}
		}
		this.granted = stock - left;
	}

	static Allocation of(String sku, long stock, List<Long> quantities) {
		return new Allocation(sku, stock, quantities);
	}

	/** The units all fitting claims take together: one DECRBY. */
	long granted() {
		return this.granted;
	}

	/** The stock left once the granted units are taken. */
	long remaining() {
		return this.stock - this.granted;
	}

	List<ReduceOutcome> outcomes(int attempts) {
		List<ReduceOutcome> outcomes = new ArrayList<>(this.quantities.size());
		long left = this.stock;
		for (long quantity : this.quantities) {
			if (quantity <= left) {
				left -= quantity;
				outcomes.add(new ReduceOutcome.Reduced(this.sku, quantity, left, attempts));
			}
			else {
				outcomes.add(new ReduceOutcome.Insufficient(this.sku, quantity, left, attempts));
			}
		}
		return outcomes;
	}

}
