package io.stockservice.config;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.stockservice.stock.HoldSweeper;
import io.stockservice.stock.StockUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link HoldSweeper} on a thread of its own, every
 * {@code stock.reservations.sweep-interval}, from start until the service stops (before
 * its Redis connections close). Every instance sweeps; the list of holds due is shared,
 * so holds of an instance that died expire on the others.
 */
final class HoldSweeping implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HoldSweeping.class);

	/** At most one warning this often while Redis stays unreachable. */
	private static final Duration QUIET = Duration.ofSeconds(30);

	private final HoldSweeper sweeper;

	private final Duration interval;

	private final boolean enabled;

	private final int threads;

	private ScheduledExecutorService executor;

	private ExecutorService shards;

	private long warnedAt;

	/**
	 * @param threads shards swept side by side: their round trips to Redis overlap
	 */
	HoldSweeping(HoldSweeper sweeper, Duration interval, boolean enabled, int threads) {
		this.sweeper = sweeper;
		this.interval = interval;
		this.enabled = enabled;
		this.threads = threads;
	}

	@Override
	public synchronized void start() {
		if (!this.enabled || this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "hold-sweeper"));
		AtomicInteger threads = new AtomicInteger();
		this.shards = Executors.newFixedThreadPool(this.threads,
				(task) -> daemon(task, "hold-sweeper-" + threads.incrementAndGet()));
		this.executor.scheduleWithFixedDelay(this::sweep, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private void sweep() {
		try {
			this.sweeper.sweep(this.shards);
		}
		catch (StockUnavailableException ex) {
			long now = System.nanoTime();
			if (this.warnedAt == 0 || now - this.warnedAt > QUIET.toNanos()) {
				this.warnedAt = now;
				logger.warn("Sweeping reservations due failed: {}; trying again every {} ms", ex.getMessage(),
						this.interval.toMillis());
			}
		}
		catch (RuntimeException ex) {
			logger.error("Sweeping reservations due failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor == null) {
			return;
		}
		this.executor.shutdownNow();
		this.shards.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
			this.shards.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.executor = null;
		this.shards = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
