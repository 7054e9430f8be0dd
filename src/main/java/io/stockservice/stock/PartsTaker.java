package io.stockservice.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the parts of a reservation (or an order) one by one, the anchor part last: the
 * anchor's creation is the commit point, and nothing else decides. If any part cannot be
 * taken, the anchor is never made and the parts taken are given back at once (they follow
 * a reservation that will never exist); if this instance dies first, they expire with the
 * reservation's entry in the list of holds due.
 * <p>
 * A part whose creation failed without an answer (Redis did not reply) may or may not
 * exist: the anchor is not made, the parts known to be taken are given back, and the
 * sweeper settles that one part when its time runs out (it can no longer be created
 * then).
 */
final class PartsTaker {

	private static final Logger logger = LoggerFactory.getLogger(PartsTaker.class);

	private final HoldStrategy strategy;

	private final HoldsDue due;

	PartsTaker(HoldStrategy strategy, HoldsDue due) {
		this.strategy = strategy;
		this.due = due;
	}

	/**
	 * @param anchorCreation how to create the anchor part, given what each item of the
	 * other parts left (by SKU), once they are all held
	 * @throws StockUnavailableException if Redis failed; whether the reservation exists
	 * is then unknown (the sweeper settles it)
	 */
	Taking take(ReservationPlan plan, long expiresAt, Function<Map<String, Long>, PartCreation> anchorCreation,
			Deadline deadline) {
		Map<String, Long> left = new HashMap<>();
		Map<String, Long> levels = new HashMap<>();
		List<ReservationPlan.Part> taken = new ArrayList<>();
		PartCreated failure = null;
		for (ReservationPlan.Part part : plan.others()) {
			PartCreated created;
			try {
				created = this.strategy.create(PartCreation.hold(plan.id(), part.anchorSku(), part.items(), expiresAt),
						deadline);
			}
			catch (StockUnavailableException ex) {
				giveBack(plan, taken, expiresAt, deadline, false);
				throw ex;
			}
			if (created instanceof PartCreated.Taken held) {
				taken.add(part);
				note(part.items(), held.available(), left, levels);
			}
			else if (created instanceof PartCreated.Refused refused) {
				noteLevels(part.items(), refused.levels(), levels);
				failure = (failure == null) ? refused : failure;
			}
			else {
				failure = (failure instanceof PartCreated.CorruptStock) ? failure : created;
			}
		}
		PartCreation anchor;
		PartCreated created;
		if (failure == null) {
			// The commit point: if Redis does not answer, the reservation may exist, and
			// nothing taken may be given back.
			anchor = anchorCreation.apply(left);
			created = this.strategy.create(anchor, deadline);
			if (created instanceof PartCreated.Taken held) {
				return new Taking.Committed(held.available(), left);
			}
		}
		else {
			try {
				// Only to tell the anchor's levels in the refusal: it writes nothing.
				anchor = PartCreation.hold(plan.id(), plan.anchorSku(), plan.anchor().items(), expiresAt)
					.as(PartCreation.Mode.CHECK, Map.of());
				created = this.strategy.create(anchor, deadline);
			}
			catch (StockUnavailableException ex) {
				giveBack(plan, taken, expiresAt, deadline, true);
				throw ex;
			}
		}
		giveBack(plan, taken, expiresAt, deadline, true);
		if (created instanceof PartCreated.Refused refused) {
			noteLevels(anchor.items(), refused.levels(), levels);
		}
		else if (!(created instanceof PartCreated.Taken) && !(failure instanceof PartCreated.CorruptStock)) {
			failure = created;
		}
		if (failure == null || failure instanceof PartCreated.Refused) {
			return new Taking.Refused(plan.order().stream().map((item) -> levels.get(item.sku())).toList());
		}
		return new Taking.Failed(failure);
	}

	private static void note(List<Item> items, List<Long> available, Map<String, Long> left, Map<String, Long> levels) {
		for (int i = 0; i < items.size(); i++) {
			left.put(items.get(i).sku(), available.get(i));
			// What there was before this hold took its units: what a refusal reports.
			levels.put(items.get(i).sku(), available.get(i) + items.get(i).quantity());
		}
	}

	private static void noteLevels(List<Item> items, List<Long> found, Map<String, Long> levels) {
		for (int i = 0; i < items.size(); i++) {
			levels.put(items.get(i).sku(), found.get(i));
		}
	}

	/**
	 * Gives back parts this instance took for a reservation that will never exist, and
	 * drops its entry from the list of holds due once nothing of it is left held.
	 */
	void giveBack(ReservationPlan plan, List<ReservationPlan.Part> taken, long expiresAt, Deadline deadline,
			boolean settled) {
		boolean all = settled;
		for (ReservationPlan.Part part : taken) {
			all &= follow(plan.id(), part.anchorSku(), HoldState.RELEASED, expiresAt, deadline);
		}
		if (all) {
			forget(plan.dueEntry(), deadline);
		}
	}

	/**
	 * Moves the other parts of a reservation to the state its anchor decided, then drops
	 * its entry from the list of holds due, if every part has ended.
	 * @return whether every part has ended and the entry is gone
	 */
	boolean finish(String id, List<String> otherParts, HoldState state, long expiresAt, Deadline deadline) {
		return follow(id, otherParts, state, expiresAt, deadline) && forget(new DueEntry(id, otherParts), deadline);
	}

	/**
	 * Moves the other parts of a reservation to the state its anchor decided.
	 * @return whether every part has ended
	 */
	boolean follow(String id, List<String> otherParts, HoldState state, long expiresAt, Deadline deadline) {
		boolean all = true;
		for (String part : otherParts) {
			all &= follow(id, part, state, expiresAt, deadline);
		}
		return all;
	}

	private boolean follow(String id, String part, HoldState state, long expiresAt, Deadline deadline) {
		try {
			PartMoved moved = this.strategy.move(new PartMove(id, part, PartMove.Op.FOLLOW, state, expiresAt),
					deadline);
			if (moved instanceof PartMoved.Moved || moved instanceof PartMoved.Ended) {
				return true;
			}
			logger.warn("Part {} of reservation {} did not follow it to {}: {}; the sweeper will", part, id,
					state.tag(), moved);
		}
		catch (StockUnavailableException ex) {
			logger.warn("Part {} of reservation {} did not follow it to {}: {}; the sweeper will", part, id,
					state.tag(), ex.getMessage());
		}
		return false;
	}

	private boolean forget(DueEntry entry, Deadline deadline) {
		try {
			this.due.remove(entry, deadline);
			return true;
		}
		catch (StockUnavailableException ex) {
			// The sweeper removes it once it finds the reservation ended.
			logger.debug("Entry {} stays in the list of holds due: {}", entry.text(), ex.getMessage());
			return false;
		}
	}

	/** How taking the parts ended. */
	sealed interface Taking {

		/**
		 * Every part is taken, the anchor last.
		 *
		 * @param anchorAvailable what each anchor item left
		 * @param othersAvailable what each item of the other parts left, by SKU
		 */
		record Committed(List<Long> anchorAvailable, Map<String, Long> othersAvailable) implements Taking {
		}

		/**
		 * Some item did not fit or had no stock; everything taken was given back.
		 *
		 * @param levels what each item (in the client's order) had, {@code null} for no
		 * stock
		 */
		record Refused(List<Long> levels) implements Taking {
		}

		/**
		 * A part or the anchor failed otherwise (its record exists, a level is corrupt,
		 * it came too late, it lost every race); everything taken was given back.
		 */
		record Failed(PartCreated why) implements Taking {
		}

	}

}
