package io.stockservice.loadgen;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a run proves about the stock, from the workers' own answers and the final level.
 *
 * @param conservation the units sold are exactly the units the stock lost, and no more
 * could be sold: {@code sold == initial - final} and {@code final < quantity} (0 for
 * quantity 1)
 * @param noOversell no success reported a negative remainder
 * @param eachValueOnce every remainder {@code initial - q}, {@code initial - 2q}, ...
 * down to the last success was returned exactly once ({@code initial-1 ... 0} for
 * quantity 1): the reductions were serialized, none lost or doubled
 * @param exactlyOnce with {@code --idempotent} only ({@code null} otherwise): although
 * requests were sent again after 503s and timeouts, every logical request took its units
 * exactly once: the units acknowledged are the units the stock lost, and each remainder
 * was acknowledged once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Invariants(boolean conservation, boolean noOversell, boolean eachValueOnce, Boolean exactlyOnce) {

	Invariants(boolean conservation, boolean noOversell, boolean eachValueOnce) {
		this(conservation, noOversell, eachValueOnce, null);
	}

	/**
	 * @param initialStock the stock before the race
	 * @param finalStock the stock after it, or {@code null} if it could not be read
	 * @param quantity the units of every reduction
	 * @param workers what each worker reported
	 */
	static Invariants check(long initialStock, Long finalStock, long quantity, List<WorkerResult> workers) {
		return check(initialStock, finalStock, quantity, workers, false);
	}

	/**
	 * @param idempotent whether the workers sent every reduction with an idempotency key
	 * and retried it until it was answered
	 */
	static Invariants check(long initialStock, Long finalStock, long quantity, List<WorkerResult> workers,
			boolean idempotent) {
		long successes = workers.stream().mapToLong(WorkerResult::successes).sum();
		boolean conservation = conservation(initialStock, finalStock, quantity, successes);
		boolean eachValueOnce = eachValueOnce(initialStock, quantity, successes, workers);
		return new Invariants(conservation, noOversell(workers), eachValueOnce,
				idempotent ? (conservation && eachValueOnce) : null);
	}

	/** Whether every invariant holds; {@code exactlyOnce} is implied by the other two. */
	boolean allHold() {
		return this.conservation && this.noOversell && this.eachValueOnce;
	}

	private static boolean conservation(long initialStock, Long finalStock, long quantity, long successes) {
		if (finalStock == null) {
			return false;
		}
		return successes * quantity == initialStock - finalStock && finalStock >= 0 && finalStock < quantity;
	}

	private static boolean noOversell(List<WorkerResult> workers) {
		return workers.stream()
			.flatMapToLong((worker) -> Arrays.stream(worker.remainders()))
			.allMatch((left) -> left >= 0);
	}

	/**
	 * {@code n} successes whose remainders are distinct members of {@code initial - k*q}
	 * for {@code k} in {@code 1..n} are exactly those {@code n} values, each once.
	 */
	private static boolean eachValueOnce(long initialStock, long quantity, long successes, List<WorkerResult> workers) {
		if (successes >= Integer.MAX_VALUE) {
			return false;
		}
		BitSet seen = new BitSet((int) successes + 1);
		for (WorkerResult worker : workers) {
			for (long left : worker.remainders()) {
				long taken = initialStock - left;
				if (taken <= 0 || taken % quantity != 0 || taken / quantity > successes
						|| seen.get((int) (taken / quantity))) {
					return false;
				}
				seen.set((int) (taken / quantity));
			}
		}
		return true;
	}

}
