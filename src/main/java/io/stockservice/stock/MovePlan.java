package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides a {@link PartMove} as {@code hold-move.lua} does, in two readings: first the
 * hold and Redis time, which say whether and where it moves; then the levels the move
 * changes (its items are known only from the hold), each checked before anything is
 * written.
 */
final class MovePlan {

	private final PartMove move;

	private final HoldSettings settings;

	private final long now;

	private final Hold hold;

	private final HoldState target;

	private final PartMoved outcome;

	private final List<CreationPlan.Write> writes = new ArrayList<>();

	private MovePlan(PartMove move, HoldSettings settings, long now, Hold hold, HoldState target, PartMoved outcome) {
		this.move = move;
		this.settings = settings;
		this.now = now;
		this.hold = hold;
		this.target = target;
		this.outcome = outcome;
	}

	/**
	 * @param fields the hold's hash, empty if it does not exist, {@code null} if the key
	 * holds another type
	 */
	static MovePlan decide(PartMove move, HoldSettings settings, long now, Map<String, String> fields) {
		String key = settings.keys().hold(move.partAnchor(), move.reservationId());
		if (fields == null) {
			return new MovePlan(move, settings, now, null, null, new PartMoved.Unreadable());
		}
		if (fields.isEmpty()) {
			boolean mayVoid = move.op() == PartMove.Op.EXPIRE || move.op() == PartMove.Op.FOLLOW;
			MovePlan plan = new MovePlan(move, settings, now, null, null,
					new PartMoved.Missing(mayVoid && now >= move.dueAt()));
			if (mayVoid && now >= move.dueAt()) {
				Map<String, String> mark = new LinkedHashMap<>();
				mark.put(HoldFields.STATE, HoldState.VOID.tag());
				mark.put(HoldFields.EXPIRES_AT, Long.toString(move.dueAt()));
				mark.put(HoldFields.ENDED_AT, Long.toString(now));
				plan.writes.add((transaction) -> transaction.hset(key, mark));
				plan.writes.add((transaction) -> transaction.pexpire(key, settings.retention().toMillis()));
			}
			return plan;
		}
		Hold hold = HoldFields.decode(fields);
		if (hold == null) {
			return new MovePlan(move, settings, now, null, null, new PartMoved.Unreadable());
		}
		if (hold.state().ended()) {
			MovePlan plan = new MovePlan(move, settings, now, hold, null, new PartMoved.Ended(hold));
			if (settings.replication().required()) {
				// Another instance may have ended it moments ago: rewriting the state
				// unchanged makes our WAIT cover that write too.
				plan.writes.add((transaction) -> transaction.hset(key, Map.of(HoldFields.STATE, hold.state().tag())));
			}
			return plan;
		}
		boolean expired = now >= hold.expiresAt();
		HoldState target = switch (move.op()) {
			case CONFIRM -> expired ? HoldState.EXPIRED : HoldState.CONFIRMED;
			case RELEASE -> expired ? HoldState.EXPIRED : HoldState.RELEASED;
			case EXPIRE -> expired ? HoldState.EXPIRED : null;
			case FOLLOW -> move.target();
		};
		if (target == null) {
			return new MovePlan(move, settings, now, hold, null, new PartMoved.NotDue(hold));
		}
		return new MovePlan(move, settings, now, hold, target, null);
	}

	/** Whether the move needs the levels of {@link #levelKeys()} to be decided. */
	boolean needsLevels() {
		return this.outcome == null;
	}

	/** The keys the move changes: each item's reserved units, then its stock. */
	List<String> levelKeys() {
		List<String> keys = new ArrayList<>();
		this.hold.items().forEach((item) -> keys.add(this.settings.keys().reserved(item.sku())));
		this.hold.items().forEach((item) -> keys.add(this.settings.keys().stock(item.sku())));
		return keys;
	}

	/**
	 * @param found what {@link #levelKeys()} hold, in that order
	 */
	MovePlan withLevels(List<Found> found) {
		List<Item> items = this.hold.items();
		for (int i = 0; i < items.size(); i++) {
			CreationPlan.Level reserved = CreationPlan.Level.of(found.get(i), false);
			CreationPlan.Level stock = CreationPlan.Level.of(found.get(items.size() + i), false);
			boolean stockMatters = this.target.returnsUnits();
			if (reserved.corrupt() || reserved.value() < items.get(i).quantity() || (stockMatters && stock.corrupt())) {
				return new MovePlan(this.move, this.settings, this.now, this.hold, null,
						new PartMoved.CorruptStock(items.get(i).sku()));
			}
		}
		MovePlan plan = new MovePlan(this.move, this.settings, this.now, this.hold, this.target,
				new PartMoved.Moved(this.hold.movedTo(this.target, this.now)));
		plan.move(found);
		return plan;
	}

	private void move(List<Found> found) {
		StockKeys keys = this.settings.keys();
		List<Item> items = this.hold.items();
		for (int i = 0; i < items.size(); i++) {
			Item item = items.get(i);
			long reserved = CreationPlan.Level.of(found.get(i), false).value();
			// Nothing held of a SKU leaves no key behind.
			this.writes.add((reserved == item.quantity()) ? (transaction) -> transaction.del(keys.reserved(item.sku()))
					: (transaction) -> transaction.decrby(keys.reserved(item.sku()), item.quantity()));
			if (this.target.returnsUnits()) {
				this.writes.add((transaction) -> transaction.incrby(keys.stock(item.sku()), item.quantity()));
			}
		}
		String key = keys.hold(this.move.partAnchor(), this.move.reservationId());
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(HoldFields.STATE, this.target.tag());
		fields.put(HoldFields.ENDED_AT, Long.toString(this.now));
		this.writes.add((transaction) -> transaction.hset(key, fields));
		this.writes.add((transaction) -> transaction.pexpire(key, this.settings.retention().toMillis()));
	}

	PartMoved outcome() {
		return this.outcome;
	}

	boolean writes() {
		return !this.writes.isEmpty();
	}

	void write(RedisSession.Transaction transaction) {
		this.writes.forEach((write) -> write.apply(transaction));
	}

}
