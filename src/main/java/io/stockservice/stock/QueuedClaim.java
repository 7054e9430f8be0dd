package io.stockservice.stock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A caller of the {@link RequestCombiner} waiting for its claim's outcome: queued, taken
 * by a transaction, or given up (its deadline passed while it was still queued).
 */
final class QueuedClaim {

	private static final int WAITING = 0;

	private static final int TAKEN = 1;

	private static final int ABANDONED = 2;

	/** How long past its deadline a claim waits for the transaction that took it. */
	private static final Duration LATE_ANSWER_GRACE = Duration.ofMillis(50);

	private final Claim claim;

	private final Deadline deadline;

	private final AtomicInteger state = new AtomicInteger(WAITING);

	private final CompletableFuture<ReduceOutcome> result = new CompletableFuture<>();

	QueuedClaim(Claim claim, Deadline deadline) {
		this.claim = claim;
		this.deadline = deadline;
	}

	Claim claim() {
		return this.claim;
	}

	Deadline deadline() {
		return this.deadline;
	}

	void complete(ReduceOutcome outcome) {
		this.result.complete(outcome);
	}

	void fail(RuntimeException ex) {
		this.result.completeExceptionally(ex);
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
	 * A transaction has the claim, and its own deadline is no later than the claim's: its
	 * answer is the truth, and due now. If a busy machine delays it even so, the claim
	 * does not wait on: it leaves in doubt (the transaction may still apply it), as if
	 * Redis had not answered, so that the deadline holds.
	 */
	private ReduceOutcome awaitTaken() {
		try {
			return this.result.get(LATE_ANSWER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new StockUnavailableException("The transaction serving the claim did not answer by its deadline", ex);
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
