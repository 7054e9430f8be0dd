package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Combines concurrent claims on one SKU inside this instance, so that they do not fight
 * each other through Redis: while a transaction for a SKU is in flight, further claims
 * for it queue; the next transaction serves the whole queue (up to {@code maxBatch}
 * claims) from one WATCHed read with one DECRBY, in arrival order, and each claim gets
 * its own answer. Optimistic locking still guards against every other instance and
 * client.
 * <p>
 * Each SKU with waiting claims is a lane, drained by one task at a time on the executor.
 * A claim keeps its own deadline: if it passes while the claim is still queued, the claim
 * leaves with {@link ReduceOutcome.Contention} and takes nothing; once a transaction has
 * taken the claim, it waits for that transaction's answer, which the transaction's own
 * deadline (the earliest of its claims') bounds.
 */
public final class RequestCombiner {

	private final ReduceStrategy strategy;

	private final Executor executor;

	private final int maxBatch;

	private final ReduceListener listener;

	private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

	public RequestCombiner(ReduceStrategy strategy, Executor executor, int maxBatch, ReduceListener listener) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
		}
		this.strategy = strategy;
		this.executor = executor;
		this.maxBatch = maxBatch;
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
		Waiter waiter = new Waiter(claim, deadline);
		boolean[] schedule = { false };
		this.lanes.compute(sku, (key, lane) -> {
			Lane queue = (lane != null) ? lane : new Lane();
			queue.waiting.add(waiter);
			if (!queue.draining) {
				queue.draining = true;
				schedule[0] = true;
			}
			return queue;
		});
		if (schedule[0]) {
			this.executor.execute(() -> drain(sku));
		}
		return waiter.await(sku);
	}

	/** Runs one batch of the lane, then hands the lane on to a new task or forgets it. */
	private void drain(String sku) {
		List<Waiter> batch = new ArrayList<>();
		this.lanes.computeIfPresent(sku, (key, lane) -> {
			lane.takeBatch(sku, batch, this.maxBatch);
			return lane;
		});
		try {
			if (!batch.isEmpty()) {
				run(sku, batch);
			}
		}
		finally {
			boolean[] again = { false };
			this.lanes.compute(sku, (key, lane) -> {
				if (lane.waiting.isEmpty()) {
					return null;
				}
				again[0] = true;
				return lane;
			});
			if (again[0]) {
				// A new task, rather than a loop, lets other SKUs' lanes take turns on
				// the executor.
				this.executor.execute(() -> drain(sku));
			}
		}
	}

	private void run(String sku, List<Waiter> batch) {
		List<Claim> claims = new ArrayList<>(batch.size());
		Duration budget = null;
		for (Waiter waiter : batch) {
			claims.add(waiter.claim);
			Duration remaining = waiter.deadline.remaining();
			budget = (budget == null || remaining.compareTo(budget) < 0) ? remaining : budget;
		}
		ReduceListener.forBatch(this.listener, claims).combined(batch.size());
		try {
			List<ReduceOutcome> outcomes = this.strategy.reduce(claims, Deadline.after(budget));
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).result.complete(outcomes.get(i));
			}
		}
		catch (RuntimeException ex) {
			batch.forEach((waiter) -> waiter.result.completeExceptionally(ex));
		}
	}

	/** Lanes currently queued or draining; for tests and diagnostics. */
	int lanes() {
		return this.lanes.size();
	}

	/**
	 * Claims queued for the SKU and not yet taken by a transaction; for tests and
	 * diagnostics.
	 */
	int queued(String sku) {
		Lane lane = this.lanes.get(sku);
		if (lane == null) {
			return 0;
		}
		int[] queued = { 0 };
		this.lanes.computeIfPresent(sku, (key, current) -> {
			queued[0] = current.waiting.size();
			return current;
		});
		return queued[0];
	}

	/** The claims waiting for one SKU; guarded by the map's lock on the SKU. */
	private static final class Lane {

		private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

		private boolean draining;

		void takeBatch(String sku, List<Waiter> batch, int maxBatch) {
			while (batch.size() < maxBatch && !this.waiting.isEmpty()) {
				Waiter waiter = this.waiting.poll();
				if (!waiter.take()) {
					continue;
				}
				if (waiter.deadline.expired()) {
					waiter.result.complete(new ReduceOutcome.Contention(sku, 0));
				}
				else {
					batch.add(waiter);
				}
			}
		}

	}

	/** One caller waiting for its claim's outcome. */
	private static final class Waiter {

		private static final int WAITING = 0;

		private static final int TAKEN = 1;

		private static final int ABANDONED = 2;

		/** How long past its deadline a claim waits for the transaction that took it. */
		private static final Duration LATE_ANSWER_GRACE = Duration.ofMillis(50);

		private final Claim claim;

		private final Deadline deadline;

		private final AtomicInteger state = new AtomicInteger(WAITING);

		private final CompletableFuture<ReduceOutcome> result = new CompletableFuture<>();

		Waiter(Claim claim, Deadline deadline) {
			this.claim = claim;
			this.deadline = deadline;
		}

		/** Claims the waiter for a batch; fails if it already gave up. */
		boolean take() {
			return this.state.compareAndSet(WAITING, TAKEN);
		}

		ReduceOutcome await(String sku) {
			try {
				return this.result.get(this.deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				if (this.state.compareAndSet(WAITING, ABANDONED)) {
					return new ReduceOutcome.Contention(sku, 0);
				}
				return awaitTaken();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				if (this.state.compareAndSet(WAITING, ABANDONED)) {
					return new ReduceOutcome.Contention(sku, 0);
				}
				throw new StockUnavailableException("Interrupted while a transaction had the claim", ex);
			}
			catch (ExecutionException ex) {
				throw (RuntimeException) ex.getCause();
			}
		}

		/**
		 * A transaction has the claim, and its own deadline is no later than the claim's:
		 * its answer is the truth, and due now. If a busy machine delays it even so, the
		 * claim does not wait on: it leaves in doubt (the transaction may still apply
		 * it), as if Redis had not answered, so that the deadline holds.
		 */
		private ReduceOutcome awaitTaken() {
			try {
				return this.result.get(LATE_ANSWER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new StockUnavailableException("The transaction serving the claim did not answer by its deadline",
						ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new StockUnavailableException("Interrupted while a transaction had the claim", ex);
			}
			catch (ExecutionException ex) {
				throw (RuntimeException) ex.getCause();
			}
		}

	}

}
