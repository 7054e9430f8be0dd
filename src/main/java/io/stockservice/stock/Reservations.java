package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reservations (holds): units taken out of {@code available} into {@code reserved} for a
 * while, then sold (confirm), given back (release), or given back when their time runs
 * out (expiry, by {@link HoldSweeper}), each exactly once.
 * <p>
 * The state is a property of the data, not of timing: a reservation's fate is the state
 * of its anchor hold, which leaves {@link HoldState#HELD} in one atomic step whose checks
 * (is it held? has its time, by the Redis clock, run out?) and writes cannot interleave
 * with another's. A confirm, a release and an expiry racing for one hold: exactly one
 * finds it held and moves it; the others find it ended and report how.
 */
public final class Reservations {

	private final RedisSessions sessions;

	private final HoldSettings settings;

	private final HoldStrategy strategy;

	private final HoldsDue due;

	private final HoldListener listener;

	private final Duration timeout;

	private final PartsTaker taker;

	private final RecordStore records;

	private final HoldReader reader;

	/**
	 * @param timeout the most one call may take
	 */
	public Reservations(RedisSessions sessions, HoldSettings settings, HoldStrategy strategy, HoldsDue due,
			HoldListener listener, Duration timeout) {
		this.sessions = sessions;
		this.settings = settings;
		this.strategy = strategy;
		this.due = due;
		this.listener = listener;
		this.timeout = timeout;
		this.taker = new PartsTaker(strategy, due);
		this.records = new RecordStore(sessions, settings.replication());
		this.reader = new HoldReader(sessions, settings.keys());
	}

	/**
	 * Holds every item, or none.
	 * @param ttl how long the hold lasts; unless confirmed or released by then, it
	 * expires
	 * @param idempotencyKey the client's key, or {@code null}
	 * @throws StockUnavailableException if Redis failed: the reservation may or may not
	 * exist (with a key, a retry answers which; without one, it expires unless confirmed)
	 */
	public ReservationOutcome create(List<Item> items, Duration ttl, String idempotencyKey) {
		try {
			return counted(createOnce(items, ttl, idempotencyKey));
		}
		catch (ReplicationException ex) {
			this.listener.requested(Outcome.UNREPLICATED);
			throw ex;
		}
		catch (StockUnavailableException ex) {
			this.listener.requested(Outcome.UNAVAILABLE);
			throw ex;
		}
	}

	private ReservationOutcome createOnce(List<Item> items, Duration ttl, String idempotencyKey) {
		Deadline deadline = Deadline.after(this.timeout);
		ReservationPlan plan = ReservationPlan.of(new Claim(items, null).items(), this::slotOf);
		String recordKey = (idempotencyKey != null)
				? this.settings.keys().reservationRecord(plan.anchorSku(), idempotencyKey) : null;
		if (recordKey != null && plan.spans()) {
			// Across slots the anchor is made last; a retry must not take the other parts
			// again before it learns that a record exists.
			Found found = this.records.read(recordKey, deadline);
			if (found.wrongType() || found.value() != null) {
				return replay(found, plan, ttl, idempotencyKey);
			}
		}
		long expiresAt = this.due.add(plan.dueEntry(), ttl, deadline);
		PartCreation anchor = PartCreation.hold(plan.id(), plan.anchorSku(), plan.anchor().items(), expiresAt)
			.as(PartCreation.Mode.HOLD, plan.anchorFields());
		PartsTaker.Taking taking = this.taker.take(
				plan, expiresAt, (othersLeft) -> (recordKey != null) ? anchor.withRecord(recordKey, ReservationRecords
					.held(ttl, expiresAt, plan.id(), plan.order(), plan.anchor().items(), othersLeft)) : anchor,
				deadline);
		if (taking instanceof PartsTaker.Taking.Committed) {
			this.listener.held(plan.order());
			return new ReservationOutcome.Held(
					new Reservation(plan.id(), HoldState.HELD, plan.order(), expiresAt, null), false);
		}
		if (taking instanceof PartsTaker.Taking.Refused refused) {
			return refusal(plan, ttl, recordKey, idempotencyKey, refused.levels(), deadline);
		}
		return failure(((PartsTaker.Taking.Failed) taking).why(), plan, ttl, idempotencyKey);
	}

	private ReservationOutcome refusal(ReservationPlan plan, Duration ttl, String recordKey, String idempotencyKey,
			List<Long> levels, Deadline deadline) {
		ReduceOutcome why = ReduceRefusals.of(plan.order(), levels);
		if (recordKey != null && !this.records.writeIfAbsent(recordKey,
				ReservationRecords.refused(ttl, plan.order(), levels), this.settings.recordTtl(), deadline)) {
			// A retry of this request recorded its answer first: that is the answer.
			return replay(this.records.read(recordKey, deadline), plan, ttl, idempotencyKey);
		}
		return new ReservationOutcome.Refused(why, false);
	}

	private ReservationOutcome failure(PartCreated why, ReservationPlan plan, Duration ttl, String idempotencyKey) {
		if (why instanceof PartCreated.RecordFound found) {
			return replay(Found.of(found.record()), plan, ttl, idempotencyKey);
		}
		if (why instanceof PartCreated.RecordUnreadable) {
			return replay(Found.WRONG_TYPE, plan, ttl, idempotencyKey);
		}
		if (why instanceof PartCreated.CorruptStock corrupt) {
			return new ReservationOutcome.Refused(new ReduceOutcome.CorruptStock(corrupt.sku(), 1), false);
		}
		int attempts = (why instanceof PartCreated.Contention contention) ? contention.attempts() : 1;
		return new ReservationOutcome.Refused(new ReduceOutcome.Contention(plan.anchorSku(), attempts), false);
	}

	/** The answer of a record found under the request's key. */
	private ReservationOutcome replay(Found found, ReservationPlan plan, Duration ttl, String idempotencyKey) {
		String anchor = plan.anchorSku();
		ReservationRecords.Decoded decoded = found.wrongType() ? null
				: ReservationRecords.decode(found.value(), anchor);
		if (decoded == null) {
			return new ReservationOutcome.Refused(new ReduceOutcome.CorruptRecord(anchor,
					this.settings.keys().reservationRecord(anchor, idempotencyKey), 1), false);
		}
		if (!decoded.sameRequest(plan.order(), ttl)) {
			return new ReservationOutcome.Refused(
					new ReduceOutcome.KeyReused(plan.order().get(0).sku(), idempotencyKey, 1), false);
		}
		if (decoded.kind() == 'H') {
			return new ReservationOutcome.Held(
					new Reservation(decoded.id(), HoldState.HELD, plan.order(), decoded.expiresAt(), null), true);
		}
		return new ReservationOutcome.Refused(decoded.refusal(), true);
	}

	private ReservationOutcome counted(ReservationOutcome outcome) {
		if (outcome instanceof ReservationOutcome.Refused refused) {
			this.listener.requested(refused.replayed() ? Outcome.REPLAYED : refused.why().kind());
		}
		else {
			this.listener
				.requested(((ReservationOutcome.Held) outcome).replayed() ? Outcome.REPLAYED : Outcome.SUCCESS);
		}
		return outcome;
	}

	/**
	 * @return the reservation, or empty if there is none (never made, or its retention
	 * has passed)
	 * @throws CorruptReservationException if its hold is not one this service wrote
	 */
	public Optional<Reservation> get(String id) {
		String anchor = ReservationId.parse(id);
		if (anchor == null) {
			return Optional.empty();
		}
		return this.reader.read(id, anchor, Deadline.after(this.timeout))
			.filter((hold) -> hold.state() != HoldState.VOID)
			.map((hold) -> Reservation.of(id, hold));
	}

	/** Sells the units: the reservation is confirmed, unless it had ended otherwise. */
	public HoldEnding confirm(String id) {
		return end(id, PartMove.Op.CONFIRM);
	}

	/**
	 * Gives the units back: the reservation is released, unless it had ended otherwise.
	 */
	public HoldEnding release(String id) {
		return end(id, PartMove.Op.RELEASE);
	}

	private HoldEnding end(String id, PartMove.Op op) {
		String anchor = ReservationId.parse(id);
		if (anchor == null) {
			return new HoldEnding.Unknown();
		}
		Deadline deadline = Deadline.after(this.timeout);
		PartMoved moved = this.strategy.move(PartMove.of(id, anchor, op), deadline);
		if (moved instanceof PartMoved.Moved now) {
			Hold hold = now.hold();
			this.listener.ended(hold.state(), hold.order(), Math.max(0, hold.endedAt() - hold.expiresAt()));
			this.taker.finish(id, hold.parts(), hold.state(), hold.expiresAt(), deadline);
			return new HoldEnding.Ended(Reservation.of(id, hold), true);
		}
		if (moved instanceof PartMoved.Ended before && before.hold().state() != HoldState.VOID) {
			// An earlier call may have died before its parts followed: they follow now.
			Hold hold = before.hold();
			this.taker.finish(id, hold.parts(), hold.state(), hold.expiresAt(), deadline);
			return new HoldEnding.Ended(Reservation.of(id, hold), false);
		}
		if (moved instanceof PartMoved.CorruptStock corrupt) {
			return new HoldEnding.CorruptStock(corrupt.sku());
		}
		if (moved instanceof PartMoved.Unreadable) {
			return new HoldEnding.Unreadable();
		}
		if (moved instanceof PartMoved.Contention contention) {
			return new HoldEnding.Contention(contention.attempts());
		}
		return new HoldEnding.Unknown();
	}

	private int slotOf(String sku) {
		return this.sessions.slot(this.settings.keys().stock(sku));
	}

}
