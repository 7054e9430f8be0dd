package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Orders whose SKUs lie in several hash slots of a Redis Cluster, which no one
 * transaction can take: each is carried out as a short reservation, one hold per slot,
 * whose anchor is born confirmed once every other part is held (its creation is the
 * commit point), after which the other parts follow it to confirmed. If any part cannot
 * be taken, those taken are given back and nothing is sold; if the instance dies midway,
 * they expire with the reservation. The client sees all or nothing either way.
 * <p>
 * An order's idempotency record is written in the same atomic step as its anchor, and
 * only if no record exists yet: a retry racing a slow first attempt finds the record of
 * whichever committed first, gives back its own parts, and replays that answer. A refusal
 * is recorded after the fact, only if nothing was recorded first.
 */
public final class SpanningOrders {

	private final RedisSessions sessions;

	private final HoldSettings settings;

	private final HoldsDue due;

	private final Duration holdTtl;

	private final PartsTaker taker;

	private final RecordStore records;

	/**
	 * @param holdTtl how long the holds of an order in progress last, should its instance
	 * die: longer than an order may take
	 */
	public SpanningOrders(RedisSessions sessions, HoldSettings settings, HoldStrategy strategy, HoldsDue due,
			Duration holdTtl) {
		this.sessions = sessions;
		this.settings = settings;
		this.due = due;
		this.holdTtl = holdTtl;
		this.taker = new PartsTaker(strategy, due);
		this.records = new RecordStore(sessions, settings.replication());
	}

	/** Whether the claim's SKUs lie in more than one hash slot. */
	boolean spans(Claim claim) {
		int first = slotOf(claim.items().get(0).sku());
		return claim.items().stream().anyMatch((item) -> slotOf(item.sku()) != first);
	}

	/**
	 * @throws StockUnavailableException if Redis failed; the order may or may not have
	 * been taken
	 */
	ReduceOutcome reduce(Claim claim, Deadline deadline) {
		ReservationPlan plan = ReservationPlan.of(claim.items(), this::slotOf);
		String recordKey = claim.keyed() ? this.settings.keys().record(claim.anchorSku(), claim.idempotencyKey())
				: null;
		if (recordKey != null) {
			Found found = this.records.read(recordKey, deadline);
			if (found.wrongType() || found.value() != null) {
				return replay(found, claim, recordKey);
			}
		}
		long expiresAt = this.due.add(plan.dueEntry(), this.holdTtl, deadline);
		PartsTaker.Taking taking = this.taker.take(plan, expiresAt,
				(othersLeft) -> new PartCreation(plan.id(), plan.anchorSku(), plan.anchor().items(), expiresAt,
						PartCreation.Mode.SELL, plan.anchorFields(), recordKey,
						(recordKey != null) ? soldRecord(plan, othersLeft) : null),
				deadline);
		if (taking instanceof PartsTaker.Taking.Committed committed) {
			this.taker.finish(plan.id(), plan.dueEntry().otherParts(), HoldState.CONFIRMED, expiresAt, deadline);
			return new ReduceOutcome.Reduced(lines(plan, committed), 1);
		}
		if (taking instanceof PartsTaker.Taking.Refused refused) {
			return refusal(claim, refused.levels(), recordKey, deadline);
		}
		PartCreated why = ((PartsTaker.Taking.Failed) taking).why();
		if (why instanceof PartCreated.RecordFound found) {
			return replay(Found.of(found.record()), claim, recordKey);
		}
		if (why instanceof PartCreated.RecordUnreadable) {
			return new ReduceOutcome.CorruptRecord(claim.anchorSku(), recordKey, 1);
		}
		if (why instanceof PartCreated.CorruptStock corrupt) {
			return new ReduceOutcome.CorruptStock(corrupt.sku(), 1);
		}
		int attempts = (why instanceof PartCreated.Contention contention) ? contention.attempts() : 1;
		return new ReduceOutcome.Contention(claim.items().get(0).sku(), attempts);
	}

	/** The record of the order as sold: {@code R|1|sku quantity available|...}. */
	private static String soldRecord(ReservationPlan plan, Map<String, Long> othersLeft) {
		StringBuilder record = new StringBuilder("R|1");
		ReservationRecords.lines(record, plan.order(), plan.anchor().items(), othersLeft);
		return record.toString();
	}

	private static List<ReduceOutcome.Line> lines(ReservationPlan plan, PartsTaker.Taking.Committed committed) {
		List<Item> anchor = plan.anchor().items();
		List<ReduceOutcome.Line> lines = new ArrayList<>();
		for (Item item : plan.order()) {
			int index = anchor.indexOf(item);
			long left = (index >= 0) ? committed.anchorAvailable().get(index)
					: committed.othersAvailable().get(item.sku());
			lines.add(new ReduceOutcome.Line(item.sku(), item.quantity(), left));
		}
		return lines;
	}

	private ReduceOutcome refusal(Claim claim, List<Long> levels, String recordKey, Deadline deadline) {
		ReduceOutcome why = ReduceRefusals.of(claim.items(), levels);
		if (recordKey == null) {
			return why;
		}
		String record = (why instanceof ReduceOutcome.UnknownSku) ? IdempotencyRecords.unknown(claim, levels, 1)
				: IdempotencyRecords.insufficient(claim, levels, 1);
		if (this.records.writeIfAbsent(recordKey, record, this.settings.recordTtl(), deadline)) {
			return why;
		}
		// A retry of this order recorded its answer first: that is the answer.
		return replay(this.records.read(recordKey, deadline), claim, recordKey);
	}

	private static ReduceOutcome replay(Found found, Claim claim, String recordKey) {
		IdempotencyRecords.Decoded decoded = found.wrongType() ? null
				: IdempotencyRecords.decode(found.value(), claim.anchorSku());
		if (decoded == null) {
			return new ReduceOutcome.CorruptRecord(claim.anchorSku(), recordKey, 1);
		}
		if (!decoded.sameRequest(claim)) {
			return new ReduceOutcome.KeyReused(claim.items().get(0).sku(), claim.idempotencyKey(), 1);
		}
		return new ReduceOutcome.Replayed(decoded.outcome(), 1);
	}

	private int slotOf(String sku) {
		return this.sessions.slot(this.settings.keys().stock(sku));
	}

}
