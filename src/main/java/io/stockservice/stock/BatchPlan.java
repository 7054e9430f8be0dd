package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides a batch of claims from one reading of the stock and of the claims' idempotency
 * records, exactly as if the claims had come one after another in arrival order:
 * <ul>
 * <li>a claim whose key already has a record is answered from it (or refused, if the
 * record was written for another request), and takes nothing;</li>
 * <li>a claim that fits takes its units and sees what it leaves; one that does not fit
 * takes nothing and sees what was left, and later, smaller claims may still fit;</li>
 * <li>a keyed claim's outcome becomes a record, to be written with the decrement; a later
 * claim of the same batch with the same key is a retry of it.</li>
 * </ul>
 * The stock is {@code -1} when the SKU has no stock key.
 */
final class BatchPlan {

	private final String sku;

	private final long stock;

	private final List<Claim> claims;

	/**
	 * Per claim: a fresh outcome (attempts to be stamped), a stored record to replay, a
	 * retry of an earlier claim of the batch, or a refusal of a reused key.
	 */
	private final List<Object> decisions = new ArrayList<>();

	private final Map<String, Integer> recordIndexes = new LinkedHashMap<>();

	private long granted;

	private BatchPlan(String sku, long stock, List<Claim> claims, Map<String, String> records) {
		this.sku = sku;
		this.stock = stock;
		this.claims = claims;
		long left = stock;
		for (int i = 0; i < claims.size(); i++) {
			Claim claim = claims.get(i);
			String record = claim.keyed() ? records.get(claim.idempotencyKey()) : null;
			Integer first = claim.keyed() ? this.recordIndexes.get(claim.idempotencyKey()) : null;
			if (record != null) {
				this.decisions.add(IdempotencyRecords.sameRequest(record, sku, claim.quantity()) ? new Replay(record)
						: new Reused(claim.idempotencyKey()));
			}
			else if (first != null) {
				// A retry within this very batch replays the claim that came first with
				// its key.
				this.decisions.add((claims.get(first).quantity() == claim.quantity()) ? new Retry(first)
						: new Reused(claim.idempotencyKey()));
			}
			else {
				this.decisions.add((stock < 0) ? new Fresh('N', claim.quantity(), 0)
						: (claim.quantity() <= left) ? new Fresh('R', claim.quantity(), left -= claim.quantity())
								: new Fresh('I', claim.quantity(), left));
				if (claim.keyed()) {
					this.recordIndexes.put(claim.idempotencyKey(), i);
				}
			}
		}
		this.granted = (stock < 0) ? 0 : stock - left;
	}

	static BatchPlan of(String sku, long stock, List<Claim> claims, Map<String, String> records) {
		return new BatchPlan(sku, stock, claims, records);
	}

	/** The units all fitting claims take together: one DECRBY. */
	long granted() {
		return this.granted;
	}

	/** The stock left once the granted units are taken. */
	long remaining() {
		return this.stock - this.granted;
	}

	/** Whether carrying out the plan writes anything: a decrement or a record. */
	boolean writes() {
		return this.granted > 0 || !this.recordIndexes.isEmpty();
	}

	/**
	 * The records to write, by idempotency key, as the given attempt would leave them.
	 */
	Map<String, String> records(int attempt) {
		Map<String, String> records = new LinkedHashMap<>();
		this.recordIndexes.forEach((key, index) -> {
			Fresh fresh = (Fresh) this.decisions.get(index);
			records.put(key, IdempotencyRecords.encode(fresh.outcome(this.sku, attempt), fresh.quantity()));
		});
		return records;
	}

	List<ReduceOutcome> outcomes(int attempt) {
		List<ReduceOutcome> outcomes = new ArrayList<>(this.claims.size());
		for (Object decision : this.decisions) {
			if (decision instanceof Fresh fresh) {
				outcomes.add(fresh.outcome(this.sku, attempt));
			}
			else if (decision instanceof Replay replay) {
				outcomes.add(new ReduceOutcome.Replayed(IdempotencyRecords.decode(replay.record()), attempt));
			}
			else if (decision instanceof Retry retry) {
				Fresh original = (Fresh) this.decisions.get(retry.index());
				outcomes.add(new ReduceOutcome.Replayed(original.outcome(this.sku, attempt), attempt));
			}
			else {
				outcomes.add(new ReduceOutcome.KeyReused(this.sku, ((Reused) decision).idempotencyKey(), attempt));
			}
		}
		return outcomes;
	}

	private record Fresh(char kind, long quantity, long available) {

		ReduceOutcome outcome(String sku, int attempts) {
			return switch (this.kind) {
				case 'R' -> new ReduceOutcome.Reduced(sku, this.quantity, this.available, attempts);
				case 'I' -> new ReduceOutcome.Insufficient(sku, this.quantity, this.available, attempts);
				default -> new ReduceOutcome.UnknownSku(sku, attempts);
			};
		}

	}

	private record Replay(String record) {
	}

	private record Retry(int index) {
	}

	private record Reused(String idempotencyKey) {
	}

}
