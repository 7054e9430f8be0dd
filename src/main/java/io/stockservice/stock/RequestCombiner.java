package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Combines concurrent claims inside this instance, so that they share round trips to
 * Redis instead of each paying its own, and so that claims on one SKU do not fight each
 * other through Redis. Optimistic locking still guards against every other instance and
 * client.
 * <p>
 * Each SKU with waiting claims is a lane. A lane has at most one transaction in flight;
 * claims that arrive meanwhile queue in it, and the next transaction serves the queue in
 * arrival order, each claim with its own answer. A transaction may serve several lanes at
 * once (up to {@code maxBatch} claims in all, all of one Redis Cluster hash slot): one
 * WATCH of all their keys, one read, one MULTI/EXEC, or one script call. At most
 * {@code maxInFlight} such transactions run at a time; while they do, the lanes that
 * become ready wait for the next one, which is what makes the batches grow with the load.
 * <p>
 * A claim keeps its own deadline: if it passes while the claim is still queued, the claim
 * leaves with {@link ReduceOutcome.Contention} and takes nothing; once a transaction has
 * taken the claim, it waits for that transaction's answer, which the transaction's own
 * deadline (the earliest of its claims') bounds.
 */
public final class RequestCombiner {

	private final ReduceStrategy strategy;

	private final Executor executor;

	private final int maxBatch;

	private final int maxInFlight;

	private final ReduceListener listener;

	private final ReentrantLock lock = new ReentrantLock();

	/** The lanes with claims queued or in flight, by SKU; guarded by the lock. */
	private final Map<String, Lane> lanes = new HashMap<>();

	/**
	 * The lanes with claims queued and none in flight, by hash slot, the slots in the
	 * order they became ready; guarded by the lock.
	 */
	private final LinkedHashMap<Integer, ArrayDeque<Lane>> ready = new LinkedHashMap<>();

	/** Transactions running, or about to; guarded by the lock. */
	private int inFlight;

	/**
	 * @param maxBatch the most claims one transaction serves
	 * @param maxInFlight the most transactions at a time, each serving as many SKUs as
	 * are ready (within {@code maxBatch} claims); 0 for transactions that serve one SKU
	 * each, as many at a time as there are SKUs waiting
	 */
	public RequestCombiner(ReduceStrategy strategy, Executor executor, int maxBatch, int maxInFlight,
			ReduceListener listener) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
		}
		if (maxInFlight < 0) {
			throw new IllegalArgumentException("maxInFlight must be at least 0, was " + maxInFlight);
		}
		this.strategy = strategy;
		this.executor = executor;
		this.maxBatch = maxBatch;
		this.maxInFlight = maxInFlight;
		this.listener = listener;
	}

	/**
	 * Queues the claim (on one SKU) behind the SKU's transaction in flight, if any, and
	 * waits for its outcome.
	 * @throws StockUnavailableException if Redis failed; the claim may or may not have
	 * applied
	 */
	public ReduceOutcome reduce(Claim claim, Deadline deadline) {
		String sku = claim.items().get(0).sku();
		int slot = (this.maxInFlight > 0) ? this.strategy.slot(sku) : 0;
		QueuedClaim waiter = new QueuedClaim(claim, deadline);
		boolean start = false;
		this.lock.lock();
		try {
			Lane lane = this.lanes.computeIfAbsent(sku, (key) -> new Lane(key, slot));
			lane.waiting.add(waiter);
			if (!lane.inFlight && !lane.ready) {
				makeReady(lane);
				start = this.maxInFlight == 0 || this.inFlight < this.maxInFlight;
				if (start) {
					this.inFlight++;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (start) {
			this.executor.execute(this::drain);
		}
		return waiter.await(sku);
	}

	/**
	 * Runs batches while lanes are ready, then stops. Where batches serve one SKU each,
	 * every lane that becomes ready has a task of its own: this one runs one batch, and
	 * hands on to a new task if its lane is ready again, so that other lanes take turns
	 * on the executor.
	 */
	private void drain() {
		// This task's turn (its share of inFlight) ends exactly once: where it finds
		// nothing ready, in the same step under the lock, so that a lane made ready
		// then starts a task of its own; or where it hands the turn on to a new task.
		boolean ended = false;
		try {
			for (;;) {
				List<Lane> taken = new ArrayList<>();
				List<QueuedClaim> batch = new ArrayList<>();
				this.lock.lock();
				try {
					takeBatch(taken, batch);
					if (taken.isEmpty()) {
						this.inFlight--;
						ended = true;
						return;
					}
				}
				finally {
					this.lock.unlock();
				}
				boolean again;
				try {
					run(batch);
				}
				finally {
					again = land(taken);
				}
				if (this.maxInFlight == 0) {
					if (!again) {
						endTurn();
					}
					else {
						this.executor.execute(this::drain);
					}
					ended = true;
					return;
				}
			}
		}
		finally {
			if (!ended) {
				// Failed (an Error, or the executor refused the task handed on): a lane
				// may be ready with no task to serve it, so the turn passes to a new one.
				handOnAfterFailure();
			}
		}
	}

	/** The lanes' transaction is over; @return whether any of them is ready again. */
	private boolean land(List<Lane> taken) {
		this.lock.lock();
		try {
			boolean again = false;
			for (Lane lane : taken) {
				again |= landed(lane);
			}
			return again;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void endTurn() {
		this.lock.lock();
		try {
			this.inFlight--;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void handOnAfterFailure() {
		boolean start;
		this.lock.lock();
		try {
			start = !this.ready.isEmpty();
			if (!start) {
				this.inFlight--;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (start) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RuntimeException ex) {
				endTurn();
				throw ex;
			}
		}
	}

	/**
	 * Takes the ready lanes of the first ready slot, in the order they became ready,
	 * until the batch is full (one lane alone where batches serve one SKU); under the
	 * lock. A lane whose claims all gave up is forgotten.
	 */
	private void takeBatch(List<Lane> taken, List<QueuedClaim> batch) {
		Iterator<Map.Entry<Integer, ArrayDeque<Lane>>> slots = this.ready.entrySet().iterator();
		if (!slots.hasNext()) {
			return;
		}
		Map.Entry<Integer, ArrayDeque<Lane>> first = slots.next();
		ArrayDeque<Lane> lanes = first.getValue();
		while (batch.size() < this.maxBatch && !lanes.isEmpty() && (this.maxInFlight > 0 || taken.isEmpty())) {
			Lane lane = lanes.poll();
			lane.ready = false;
			lane.takeInto(batch, this.maxBatch);
			lane.inFlight = true;
			taken.add(lane);
		}
		slots.remove();
		if (!lanes.isEmpty()) {
			// Served again after the other ready slots.
			this.ready.put(first.getKey(), lanes);
		}
	}

	/**
	 * The lane's transaction is over: it is ready again, or forgotten; under the lock.
	 * @return whether it is ready again
	 */
	private boolean landed(Lane lane) {
		lane.inFlight = false;
		if (lane.waiting.isEmpty()) {
			this.lanes.remove(lane.sku);
			return false;
		}
		makeReady(lane);
		return true;
	}

	private void makeReady(Lane lane) {
		lane.ready = true;
		this.ready.computeIfAbsent(lane.slot, (key) -> new ArrayDeque<>()).add(lane);
	}

	private void run(List<QueuedClaim> batch) {
		if (batch.isEmpty()) {
			return;
		}
		List<Claim> claims = new ArrayList<>(batch.size());
		Duration budget = null;
		for (QueuedClaim waiter : batch) {
			claims.add(waiter.claim());
			Duration remaining = waiter.deadline().remaining();
			budget = (budget == null || remaining.compareTo(budget) < 0) ? remaining : budget;
		}
		ReduceListener.forBatch(this.listener, claims).combined(batch.size());
		try {
			List<ReduceOutcome> outcomes = this.strategy.reduce(claims, Deadline.after(budget));
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).complete(outcomes.get(i));
			}
		}
		catch (PartlyDecidedException ex) {
			for (int i = 0; i < batch.size(); i++) {
				ReduceOutcome outcome = ex.outcome(i);
				if (outcome != null) {
					batch.get(i).complete(outcome);
				}
				else {
					batch.get(i).fail(ex.failure());
				}
			}
		}
		catch (RuntimeException ex) {
			batch.forEach((waiter) -> waiter.fail(ex));
		}
	}

	/**
	 * Transactions running or about to, each holding a turn; for tests and diagnostics.
	 */
	int inFlight() {
		this.lock.lock();
		try {
			return this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Lanes currently queued or in flight; for tests and diagnostics. */
	int lanes() {
		this.lock.lock();
		try {
			return this.lanes.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Claims queued for the SKU and not yet taken by a transaction; for tests and
	 * diagnostics.
	 */
	int queued(String sku) {
		this.lock.lock();
		try {
			Lane lane = this.lanes.get(sku);
			return (lane != null) ? lane.waiting.size() : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The claims waiting for one SKU; guarded by the combiner's lock. */
	private static final class Lane {

		private final String sku;

		private final int slot;

		private final ArrayDeque<QueuedClaim> waiting = new ArrayDeque<>();

		/** Whether a transaction is serving claims of this lane. */
		private boolean inFlight;

		/** Whether the lane is in the combiner's ready lanes. */
		private boolean ready;

		Lane(String sku, int slot) {
			this.sku = sku;
			this.slot = slot;
		}

		/**
		 * Moves claims into the batch, in arrival order, until it is full; a claim whose
		 * deadline passed leaves with contention instead.
		 */
		void takeInto(List<QueuedClaim> batch, int maxBatch) {
			while (batch.size() < maxBatch && !this.waiting.isEmpty()) {
				QueuedClaim waiter = this.waiting.poll();
				if (!waiter.take()) {
					continue;
				}
				if (waiter.deadline().expired()) {
					waiter.complete(new ReduceOutcome.Contention(this.sku, 0));
				}
				else {
					batch.add(waiter);
				}
			}
		}

	}

}
