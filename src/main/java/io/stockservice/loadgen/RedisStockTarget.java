package io.stockservice.loadgen;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.stockservice.stock.BlockingRedisConnection;
import io.stockservice.stock.IdempotencyRecords;
import io.stockservice.stock.LuaReduceStrategy;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.ReduceStrategy;
import io.stockservice.stock.Replication;
import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.Sleeper;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockReducer;
import io.stockservice.stock.WatchReduceStrategy;

/**
 * Reduces straight on Redis with the service's own {@link StockReducer}, on one blocking
 * connection ({@link BlockingRedisConnection}): one single-threaded client per process,
 * as each of the article's ten clients is. The workers, not threads, are the concurrency.
 */
final class RedisStockTarget implements StockTarget {

	/**
	 * The service's defaults ({@code stock.reduce.*}), so that a worker reduces as the
	 * service would.
	 */
	private static final RetryPolicy RETRY = new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(100));

	/**
	 * Longer than the service's 2 s: ten client JVMs starting on a small machine can be
	 * slow to get their first answers, and a reduction that times out has an unknown
	 * outcome, which would leave the run nothing to prove. Conflicts are still bounded by
	 * the retry policy.
	 */
	private static final Duration DEADLINE = Duration.ofSeconds(10);

	/**
	 * For setting and reading the stock, and the first connection, made while the JVM is
	 * still starting.
	 */
	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private final BlockingRedisConnection connections;

	private final StockLevels levels;

	private final StockReducer reducer;

	private final Counter counter = new Counter();

	RedisStockTarget(String uri, String strategy) {
		this.connections = BlockingRedisConnection.to(uri, ADMIN_TIMEOUT, "stock-loadgen");
		StockKeys keys = StockKeys.defaults();
		this.levels = new StockLevels(this.connections, keys, ADMIN_TIMEOUT);
		IdempotencyRecords records = IdempotencyRecords.defaults();
		ReduceStrategy chosen = LuaReduceStrategy.NAME.equals(strategy)
				? new LuaReduceStrategy(this.connections, keys, records, Replication.none(), RETRY, this.counter,
						Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
				: new WatchReduceStrategy(this.connections, keys, records, Replication.none(), RETRY, this.counter,
						Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		this.reducer = new StockReducer(chosen, DEADLINE, this.counter);
	}

	@Override
	public void setStock(String sku, long level) {
		this.levels.set(sku, level);
	}

	@Override
	public void delete(String sku) {
		this.levels.delete(sku);
	}

	@Override
	public long stock(String sku) {
		return this.levels.get(sku).orElseThrow(() -> new IllegalStateException("There is no stock for " + sku));
	}

	@Override
	public Sale sell(String sku, long quantity) {
		long attempts = this.counter.attempts.get();
		long conflicts = this.counter.conflicts.get();
		ReduceOutcome outcome = this.reducer.reduce(sku, quantity);
		attempts = this.counter.attempts.get() - attempts;
		conflicts = this.counter.conflicts.get() - conflicts;
		if (outcome instanceof ReduceOutcome.Reduced reduced) {
			return new Sale.Sold(reduced.available(), attempts, conflicts);
		}
		if (outcome instanceof ReduceOutcome.Insufficient insufficient) {
			return new Sale.SoldOut(insufficient.available(), attempts, conflicts);
		}
		if (outcome instanceof ReduceOutcome.Contention) {
			return new Sale.Contended(attempts, conflicts);
		}
		if (outcome instanceof ReduceOutcome.CorruptStock) {
			throw new IllegalStateException("The stock of " + sku + " is not a stock level any more");
		}
		throw new IllegalStateException("There is no stock for " + sku + " any more");
	}

	@Override
	public void close() {
		this.connections.close();
	}

	/** Counts the transactions and the aborted EXECs of this process's reductions. */
	private static final class Counter implements ReduceListener {

		private final AtomicLong attempts = new AtomicLong();

		private final AtomicLong conflicts = new AtomicLong();

		@Override
		public void attempted() {
			this.attempts.incrementAndGet();
		}

		@Override
		public void conflicted() {
			this.conflicts.incrementAndGet();
		}

	}

}
