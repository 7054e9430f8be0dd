package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the units of reservations whose time has run out. Every instance sweeps
 * every shard of the list of holds due, every few hundred milliseconds; several sweeping
 * one entry is harmless by construction, since each part moves out of held once.
 * <p>
 * For each entry due (by the Redis clock of its shard): expire the anchor hold (a no-op
 * unless it is held and its time has run out, by its own Redis clock); then move every
 * other part to the state the anchor holds, whichever call ended it (a confirm whose
 * instance died before its parts followed is finished here); then drop the entry. A
 * missing anchor, once its time has passed, is marked void: no creation can land any
 * more, and the parts an instance took before it died expire. An entry is dropped only
 * once every part has ended, so a sweep that fails midway is simply done again.
 */
public final class HoldSweeper {

	private static final Logger logger = LoggerFactory.getLogger(HoldSweeper.class);

	private final HoldsDue due;

	private final HoldStrategy strategy;

	private final HoldListener listener;

	private final int batch;

	private final Duration timeout;

	private final PartsTaker taker;

	/**
	 * @param batch the most entries of one shard settled per round
	 * @param timeout the most one round of one shard may take
	 */
	public HoldSweeper(HoldsDue due, HoldStrategy strategy, HoldListener listener, int batch, Duration timeout) {
		this.due = due;
		this.strategy = strategy;
		this.listener = listener;
		this.batch = batch;
		this.timeout = timeout;
		this.taker = new PartsTaker(strategy, due);
	}

	/**
	 * Settles every entry due now, shard after shard.
	 * @return the entries settled (and dropped from the list)
	 * @throws StockUnavailableException if a shard could not be read; the others were
	 * swept
	 */
	public int sweep() {
		return sweep(Runnable::run);
	}

	/**
	 * Settles every entry due now, the shards side by side on the executor: a shard's
	 * entries are settled one after another, each a few round trips, and a backlog in one
	 * shard does not hold up the others.
	 * @return the entries settled (and dropped from the list)
	 * @throws StockUnavailableException if a shard could not be read; the others were
	 * swept
	 */
	public int sweep(Executor executor) {
		List<CompletableFuture<Integer>> shards = new ArrayList<>();
		for (int shard = 0; shard < HoldsDue.SHARDS; shard++) {
			int each = shard;
			shards.add(CompletableFuture.supplyAsync(() -> sweep(each), executor));
		}
		int settled = 0;
		StockUnavailableException failure = null;
		for (CompletableFuture<Integer> shard : shards) {
			try {
				settled += shard.join();
			}
			catch (CompletionException ex) {
				if (!(ex.getCause() instanceof StockUnavailableException unavailable)) {
					throw ex;
				}
				failure = unavailable;
			}
		}
		if (failure != null) {
			throw failure;
		}
		return settled;
	}

	private int sweep(int shard) {
		int settled = 0;
		for (int round = 0; round < 100; round++) {
			Deadline deadline = Deadline.after(this.timeout);
			List<HoldsDue.Due> due = this.due.due(shard, this.batch, deadline);
			List<DueEntry> ended = new ArrayList<>();
			for (HoldsDue.Due entry : due) {
				if (settle(entry, deadline)) {
					ended.add(entry.entry());
				}
			}
			// One removal for the round's entries: a round trip saved per reservation.
			this.due.removeAll(shard, ended, deadline);
			settled += ended.size();
			if (due.size() < this.batch || ended.isEmpty()) {
				return settled;
			}
		}
		return settled;
	}

	/**
	 * @return whether the reservation has ended in every part, so that its entry can go
	 */
	private boolean settle(HoldsDue.Due due, Deadline deadline) {
		DueEntry entry = due.entry();
		String anchor = ReservationId.parse(entry.reservationId());
		HoldState state;
		try {
			PartMoved moved = this.strategy
				.move(new PartMove(entry.reservationId(), anchor, PartMove.Op.EXPIRE, null, due.at()), deadline);
			state = decided(entry, moved);
		}
		catch (StockUnavailableException ex) {
			logger.debug("Reservation {} not settled yet: {}", entry.reservationId(), ex.getMessage());
			return false;
		}
		if (state == null) {
			return false;
		}
		// A void anchor never held anything: its parts (if an instance took some before
		// it
		// died) give their units back.
		return this.taker.follow(entry.reservationId(), entry.otherParts(),
				(state == HoldState.VOID) ? HoldState.EXPIRED : state, due.at(), deadline);
	}

	/** The state the reservation's anchor decided, or {@code null} if not yet. */
	private HoldState decided(DueEntry entry, PartMoved moved) {
		if (moved instanceof PartMoved.Moved now) {
			Hold hold = now.hold();
			this.listener.ended(HoldState.EXPIRED, hold.order(), Math.max(0, hold.endedAt() - hold.expiresAt()));
			return HoldState.EXPIRED;
		}
		if (moved instanceof PartMoved.Ended before) {
			return before.hold().state();
		}
		if (moved instanceof PartMoved.Missing missing) {
			return missing.voided() ? HoldState.VOID : null;
		}
		if (moved instanceof PartMoved.CorruptStock || moved instanceof PartMoved.Unreadable) {
			logger.error("Reservation {} cannot expire: {}; its units stay reserved until it is repaired",
					entry.reservationId(), moved);
		}
		return null;
	}

}
