package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The one entry point for reducing stock, used by the HTTP service and by the load
 * generator's workers alike: runs a claim through the configured strategy within its
 * deadline and tells the listener how it ended.
 */
public final class StockReducer {

	private final ReduceStrategy strategy;

	private final RequestCombiner combiner;

	private final Duration deadline;

	private final ReduceListener listener;

	private final LongSupplier nanoClock;

	private final SpanningOrders spanning;

	public StockReducer(ReduceStrategy strategy, Duration deadline, ReduceListener listener, LongSupplier nanoClock) {
		this(strategy, null, deadline, listener, nanoClock, null);
	}

	private StockReducer(ReduceStrategy strategy, RequestCombiner combiner, Duration deadline, ReduceListener listener,
			LongSupplier nanoClock, SpanningOrders spanning) {
		this.strategy = strategy;
		this.combiner = combiner;
		this.deadline = deadline;
		this.listener = listener;
		this.nanoClock = nanoClock;
		this.spanning = spanning;
	}

	public StockReducer(ReduceStrategy strategy, Duration deadline, ReduceListener listener) {
		this(strategy, deadline, listener, System::nanoTime);
	}

	/**
	 * A reducer that combines concurrent claims on the same SKU into one transaction, one
	 * SKU per transaction (see {@link RequestCombiner}).
	 * @param executor runs the combined transactions
	 * @param maxBatch the most claims one transaction serves
	 */
	public StockReducer combining(Executor executor, int maxBatch) {
		return combining(executor, maxBatch, 0);
	}

	/**
	 * A reducer that combines concurrent claims into shared transactions (see
	 * {@link RequestCombiner}).
	 * @param executor runs the combined transactions
	 * @param maxBatch the most claims one transaction serves
	 * @param maxInFlight the most transactions at a time, each serving claims on as many
	 * SKUs of one hash slot as are waiting; 0 for one SKU per transaction
	 */
	public StockReducer combining(Executor executor, int maxBatch, int maxInFlight) {
		return new StockReducer(this.strategy,
				new RequestCombiner(this.strategy, executor, maxBatch, maxInFlight, this.listener), this.deadline,
				this.listener, this.nanoClock, this.spanning);
	}

	/**
	 * A reducer that carries out orders whose SKUs span hash slots of a Redis Cluster
	 * through the given orders (one hold per slot), rather than failing them: one
	 * transaction cannot span slots.
	 */
	public StockReducer spanning(SpanningOrders orders) {
		return new StockReducer(this.strategy, this.combiner, this.deadline, this.listener, this.nanoClock, orders);
	}

	public String strategy() {
		return this.strategy.name();
	}

	/** Takes {@code quantity} units of the SKU's stock, or explains why not. */
	public ReduceOutcome reduce(String sku, long quantity) {
		return reduce(Claim.of(sku, quantity));
	}

	/**
	 * Takes every item of the claim, or none, and explains why not. A keyed claim that
	 * was answered before is answered the same way again, and takes nothing. Claims on
	 * one SKU are combined with concurrent claims on it (if combining is on); a claim on
	 * several runs in a transaction of its own.
	 * @throws StockUnavailableException if Redis failed, or replicas did not confirm the
	 * write in time; the claim may or may not have applied
	 */
	public ReduceOutcome reduce(Claim claim) {
		long start = this.nanoClock.getAsLong();
		try {
			Deadline deadline = Deadline.after(this.deadline, this.nanoClock);
			ReduceOutcome outcome;
			if (this.combiner != null && claim.single()) {
				outcome = this.combiner.reduce(claim, deadline);
			}
			else if (this.spanning != null && !claim.single() && this.spanning.spans(claim)) {
				outcome = this.spanning.reduce(claim, deadline);
			}
			else {
				outcome = this.strategy.reduce(List.of(claim), deadline).get(0);
			}
			this.listener.finished(outcome.kind(), outcome.attempts(), since(start));
			if (!claim.single()) {
				this.listener.ordered(outcome.kind(), claim.items().size());
			}
			return outcome;
		}
		catch (ReplicationException ex) {
			failed(claim, Outcome.UNREPLICATED, start);
			throw ex;
		}
		catch (StockUnavailableException ex) {
			failed(claim, Outcome.UNAVAILABLE, start);
			throw ex;
		}
	}

	private void failed(Claim claim, Outcome outcome, long start) {
		this.listener.failed(outcome, since(start));
		if (!claim.single()) {
			this.listener.ordered(outcome, claim.items().size());
		}
	}

	private Duration since(long start) {
		return Duration.ofNanos(this.nanoClock.getAsLong() - start);
	}

}
