package io.stockservice.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a batch of claims from one reading of every key it depends on (the stock of
 * each SKU and the record of each keyed claim), exactly as if the claims had come one
 * after another in arrival order, and before anything is written:
 * <ul>
 * <li>a claim whose record already exists is answered from it (or refused, if the record
 * was written for another request), and takes nothing; a record that cannot be read (a
 * key of another type, or a value that is no record of this service) fails that claim
 * alone with {@link ReduceOutcome.CorruptRecord}, and the others are served as if it were
 * absent;</li>
 * <li>a claim on a SKU whose stock is not a stock level fails alone with
 * {@link ReduceOutcome.CorruptStock}; one naming a SKU without stock is
 * {@link ReduceOutcome.UnknownSku};</li>
 * <li>a claim whose items all fit takes them and sees what it leaves; one with an item
 * that does not fit takes nothing and sees what was left, and later, smaller claims may
 * still fit;</li>
 * <li>a keyed claim's definitive outcome becomes a record, to be written with the
 * decrements; a later claim of the same batch with the same record key is a retry of
 * it.</li>
 * </ul>
 */
final class BatchPlan {

	private final List<Claim> claims;

	private final List<Decision> decisions = new ArrayList<>();

	private final Map<String, Long> levels = new LinkedHashMap<>();

	private final Map<String, Long> granted = new LinkedHashMap<>();

	/**
	 * Record keys of replayed records, to be rewritten unchanged (see {@link #touches}).
	 */
	private final Map<String, String> touches = new LinkedHashMap<>();

	private BatchPlan(List<Claim> claims, Map<String, Found> stocks, Map<String, Found> records, StockKeys keys,
			boolean touchReplays) {
		this.claims = claims;
		Set<String> corrupt = new HashSet<>();
		stocks.forEach((sku, found) -> {
			Long level = level(sku, found);
			if (level != null) {
				this.levels.put(sku, level);
			}
			else if (found.wrongType() || found.value() != null) {
				corrupt.add(sku);
			}
		});
		Map<String, Long> left = new HashMap<>(this.levels);
		Map<String, Integer> firstOfRecord = new HashMap<>();
		for (int i = 0; i < claims.size(); i++) {
			Claim claim = claims.get(i);
			String recordKey = claim.keyed() ? keys.record(claim.anchorSku(), claim.idempotencyKey()) : null;
			Integer first = (recordKey != null) ? firstOfRecord.putIfAbsent(recordKey, i) : null;
			if (first != null) {
				// A retry within this very batch gets the answer of the claim that came
				// first with its key.
				this.decisions.add(sameItems(claims.get(first), claim) ? new Retry(first) : new Reused());
				continue;
			}
			Found record = (recordKey != null) ? records.getOrDefault(recordKey, Found.NOTHING) : Found.NOTHING;
			if (record.wrongType() || record.value() != null) {
				IdempotencyRecords.Decoded decoded = IdempotencyRecords.decode(record.value(), claim.anchorSku());
				if (decoded == null) {
					this.decisions.add(new BadRecord(recordKey));
				}
				else if (decoded.sameRequest(claim)) {
					this.decisions.add(new Replay(decoded.outcome()));
					if (touchReplays) {
						this.touches.put(recordKey, record.value());
					}
				}
				else {
					this.decisions.add(new Reused());
				}
				continue;
			}
			this.decisions.add(fresh(claim, recordKey, corrupt, left));
		}
	}

	static BatchPlan of(List<Claim> claims, Map<String, Found> stocks, Map<String, Found> records, StockKeys keys,
			boolean touchReplays) {
		return new BatchPlan(claims, stocks, records, keys, touchReplays);
	}

	private static Long level(String sku, Found found) {
		if (found.wrongType() || found.value() == null) {
			return null;
		}
		try {
			return StockLevel.parse(sku, found.value());
		}
		catch (CorruptStockException ex) {
			return null;
		}
	}

	private Decision fresh(Claim claim, String recordKey, Set<String> corrupt, Map<String, Long> left) {
		List<Long> seen = new ArrayList<>();
		boolean fits = true;
		for (Item item : claim.items()) {
			if (corrupt.contains(item.sku())) {
				return new BadStock(item.sku());
			}
			Long level = left.get(item.sku());
			seen.add(level);
			fits &= level != null && item.quantity() <= level;
		}
		if (seen.contains(null)) {
			String unknown = claim.items().get(seen.indexOf(null)).sku();
			return new Fresh(new ReduceOutcome.UnknownSku(unknown, 0), recordKey,
					(attempt) -> IdempotencyRecords.unknown(claim, seen, attempt));
		}
		if (!fits) {
			List<ReduceOutcome.Shortage> shortages = new ArrayList<>();
			for (int i = 0; i < seen.size(); i++) {
				Item item = claim.items().get(i);
				if (item.quantity() > seen.get(i)) {
					shortages.add(new ReduceOutcome.Shortage(item.sku(), item.quantity(), seen.get(i)));
				}
			}
			return new Fresh(new ReduceOutcome.Insufficient(shortages, 0), recordKey,
					(attempt) -> IdempotencyRecords.insufficient(claim, seen, attempt));
		}
		List<ReduceOutcome.Line> lines = new ArrayList<>();
		for (Item item : claim.items()) {
			long after = left.merge(item.sku(), -item.quantity(), Long::sum);
			this.granted.merge(item.sku(), item.quantity(), Long::sum);
			lines.add(new ReduceOutcome.Line(item.sku(), item.quantity(), after));
		}
		return new Fresh(new ReduceOutcome.Reduced(lines, 0), recordKey,
				(attempt) -> IdempotencyRecords.reduced(lines, attempt));
	}

	private static boolean sameItems(Claim first, Claim claim) {
		return first.items().equals(claim.items());
	}

	/** The units to take of each SKU, one DECRBY each, in the order SKUs were read. */
	Map<String, Long> decrements() {
		return this.granted;
	}

	/** The stock the decrements leave of the SKU. */
	long remaining(String sku) {
		return this.levels.get(sku) - this.granted.getOrDefault(sku, 0L);
	}

	/** Whether carrying out the plan writes anything: a decrement, a record, a touch. */
	boolean writes() {
		return !this.granted.isEmpty() || !this.touches.isEmpty()
				|| this.decisions.stream().anyMatch((decision) -> decision instanceof Fresh fresh && fresh.recorded());
	}

	/** The records to write, by Redis key, as the given attempt would leave them. */
	Map<String, String> records(int attempt) {
		Map<String, String> records = new LinkedHashMap<>();
		for (Decision decision : this.decisions) {
			if (decision instanceof Fresh fresh && fresh.recorded()) {
				records.put(fresh.recordKey(), fresh.record().at(attempt));
			}
		}
		return records;
	}

	/**
	 * Replayed records, by Redis key, to be written again unchanged (TTL kept) in the
	 * same transaction, when the answer must wait for replicas: a replay takes nothing,
	 * but it may read a record that no replica has yet, and WAIT only counts this
	 * connection's own writes. Rewriting it makes the replica's acknowledgement cover it.
	 */
	Map<String, String> touches() {
		return this.touches;
	}

	List<ReduceOutcome> outcomes(int attempt) {
		List<ReduceOutcome> outcomes = new ArrayList<>(this.claims.size());
		for (int i = 0; i < this.claims.size(); i++) {
			outcomes.add(outcome(i, attempt));
		}
		return outcomes;
	}

	private ReduceOutcome outcome(int index, int attempt) {
		Claim claim = this.claims.get(index);
		Decision decision = this.decisions.get(index);
		String sku = claim.items().get(0).sku();
		if (decision instanceof Fresh fresh) {
			return stamped(fresh.outcome(), attempt);
		}
		if (decision instanceof Replay replay) {
			return new ReduceOutcome.Replayed(replay.original(), attempt);
		}
		if (decision instanceof Retry retry) {
			// A definitive first answer is replayed; a replay, a refusal or a corrupt
			// value is the same answer again.
			ReduceOutcome first = outcome(retry.index(), attempt);
			boolean definitive = first.kind() == Outcome.SUCCESS || first.kind() == Outcome.INSUFFICIENT
					|| first.kind() == Outcome.NOT_FOUND;
			return definitive ? new ReduceOutcome.Replayed(first, attempt) : first;
		}
		if (decision instanceof BadStock bad) {
			return new ReduceOutcome.CorruptStock(bad.sku(), attempt);
		}
		if (decision instanceof BadRecord bad) {
			return new ReduceOutcome.CorruptRecord(claim.anchorSku(), bad.recordKey(), attempt);
		}
		return new ReduceOutcome.KeyReused(sku, claim.idempotencyKey(), attempt);
	}

	private static ReduceOutcome stamped(ReduceOutcome outcome, int attempt) {
		if (outcome instanceof ReduceOutcome.Reduced reduced) {
			return new ReduceOutcome.Reduced(reduced.lines(), attempt);
		}
		if (outcome instanceof ReduceOutcome.Insufficient insufficient) {
			return new ReduceOutcome.Insufficient(insufficient.shortages(), attempt);
		}
		return new ReduceOutcome.UnknownSku(outcome.sku(), attempt);
	}

	private sealed interface Decision {

	}

	/** The record a fresh outcome leaves, once the attempt that decides it is known. */
	@FunctionalInterface
	private interface RecordText {

		String at(int attempt);

	}

	/** Decided from the stock now; recorded if the claim is keyed. */
	private record Fresh(ReduceOutcome outcome, String recordKey, RecordText record) implements Decision {

		boolean recorded() {
			return this.recordKey != null;
		}

	}

	private record Replay(ReduceOutcome original) implements Decision {
	}

	private record Retry(int index) implements Decision {
	}

	private record Reused() implements Decision {
	}

	private record BadStock(String sku) implements Decision {
	}

	private record BadRecord(String recordKey) implements Decision {
	}

}
