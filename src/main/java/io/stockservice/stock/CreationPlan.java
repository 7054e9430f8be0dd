package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides a {@link PartCreation} from one reading of everything it depends on, before
 * anything is written, exactly as {@code hold-create.lua} does: the hold must not exist;
 * a record found is the answer (and is rewritten unchanged when replicas must confirm);
 * then Redis time must be before {@code expiresAt}; then every stock and reserved level
 * must be a level, and every item must fit.
 */
final class CreationPlan {

	private final PartCreated outcome;

	private final List<Write> writes = new ArrayList<>();

	private CreationPlan(PartCreated outcome) {
		this.outcome = outcome;
	}

	/**
	 * @param holdExists whether the hold's key exists
	 * @param record what the record's key holds ({@link Found#NOTHING} without one)
	 * @param stocks the stock of each item
	 * @param reserved the reserved units of each item
	 */
	static CreationPlan decide(PartCreation creation, HoldSettings settings, long now, boolean holdExists, Found record,
			List<Found> stocks, List<Found> reserved) {
		boolean check = creation.mode() == PartCreation.Mode.CHECK;
		if (!check) {
			if (holdExists) {
				return new CreationPlan(new PartCreated.Exists());
			}
			if (record.wrongType()) {
				return new CreationPlan(new PartCreated.RecordUnreadable());
			}
			if (record.value() != null) {
				CreationPlan plan = new CreationPlan(new PartCreated.RecordFound(record.value()));
				if (settings.replication().required()) {
					// WAIT covers only this connection's writes: rewriting the record
					// unchanged
					// makes the replicas' acknowledgement cover it too.
					plan.writes.add((transaction) -> transaction.rewrite(creation.recordKey(), record.value()));
				}
				return plan;
			}
			if (now >= creation.expiresAt()) {
				return new CreationPlan(new PartCreated.Late());
			}
		}
		List<Long> levels = new ArrayList<>();
		boolean fits = true;
		for (int i = 0; i < creation.items().size(); i++) {
			Item item = creation.items().get(i);
			Level level = Level.of(stocks.get(i), true);
			Level held = Level.of(reserved.get(i), false);
			if (level.corrupt() || held.corrupt()) {
				return new CreationPlan(new PartCreated.CorruptStock(item.sku()));
			}
			levels.add(level.value());
			fits &= level.value() != null && item.quantity() <= level.value();
		}
		if (check || !fits) {
			return new CreationPlan(new PartCreated.Refused(levels));
		}
		List<Long> available = new ArrayList<>();
		for (int i = 0; i < levels.size(); i++) {
			available.add(levels.get(i) - creation.items().get(i).quantity());
		}
		CreationPlan plan = new CreationPlan(new PartCreated.Taken(available));
		plan.take(creation, settings, now);
		return plan;
	}

	private void take(PartCreation creation, HoldSettings settings, long now) {
		StockKeys keys = settings.keys();
		boolean hold = creation.mode() == PartCreation.Mode.HOLD;
		for (Item item : creation.items()) {
			this.writes.add((transaction) -> transaction.decrby(keys.stock(item.sku()), item.quantity()));
			if (hold) {
				this.writes.add((transaction) -> transaction.incrby(keys.reserved(item.sku()), item.quantity()));
			}
		}
		String holdKey = keys.hold(creation.partAnchor(), creation.reservationId());
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(HoldFields.STATE, (hold ? HoldState.HELD : HoldState.CONFIRMED).tag());
		fields.put(HoldFields.EXPIRES_AT, Long.toString(creation.expiresAt()));
		fields.put(HoldFields.ITEMS, HoldFields.items(creation.items()));
		fields.putAll(creation.extraFields());
		if (!hold) {
			fields.put(HoldFields.ENDED_AT, Long.toString(now));
		}
		this.writes.add((transaction) -> transaction.hset(holdKey, fields));
		if (!hold) {
			this.writes.add((transaction) -> transaction.pexpire(holdKey, settings.retention().toMillis()));
		}
		if (creation.recordKey() != null) {
			List<Long> available = ((PartCreated.Taken) this.outcome).available();
			String record = creation.record(available);
			this.writes
				.add((transaction) -> transaction.setPx(creation.recordKey(), record, settings.recordTtl().toMillis()));
		}
	}

	PartCreated outcome() {
		return this.outcome;
	}

	boolean writes() {
		return !this.writes.isEmpty();
	}

	void write(RedisSession.Transaction transaction) {
		this.writes.forEach((write) -> write.apply(transaction));
	}

	/** One command of the MULTI. */
	@FunctionalInterface
	interface Write {

		void apply(RedisSession.Transaction transaction);

	}

	/**
	 * A level read: {@code null} if there is none (for reserved units, which start at
	 * nothing, 0), or corrupt.
	 */
	record Level(Long value, boolean corrupt) {

		static Level of(Found found, boolean stock) {
			if (found.wrongType()) {
				return new Level(null, true);
			}
			if (found.value() == null) {
				return new Level(stock ? null : 0L, false);
			}
			try {
				return new Level(StockLevel.parse("", found.value()), false);
			}
			catch (CorruptStockException ex) {
				return new Level(null, true);
			}
		}

	}

}
