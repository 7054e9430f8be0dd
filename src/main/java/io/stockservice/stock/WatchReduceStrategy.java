package io.stockservice.stock;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Optimistic locking, as the article teaches it: WATCH the stock key, read it, and if the
 * claims fit, DECRBY inside MULTI/EXEC. If any other client wrote the key after our
 * WATCH, Redis aborts the EXEC and nothing is applied; we read again and retry within the
 * {@link RetryPolicy} and the deadline.
 * <p>
 * WATCH goes before GET so that a write landing between our read and our EXEC always
 * aborts the EXEC; the two travel in one round trip, MULTI/DECRBY/EXEC in the next.
 */
public final class WatchReduceStrategy implements ReduceStrategy {

	public static final String NAME = "watch";

	private final TransactionConnections connections;

	private final StockKeys keys;

	private final RetryPolicy retry;

	private final ReduceListener listener;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	public WatchReduceStrategy(TransactionConnections connections, StockKeys keys, RetryPolicy retry,
			ReduceListener listener, Sleeper sleeper, RandomGenerator random) {
		this.connections = connections;
		this.keys = keys;
		this.retry = retry;
		this.listener = listener;
		this.sleeper = sleeper;
		this.random = random;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ReduceOutcome> reduce(String sku, List<Long> quantities, Deadline deadline) {
		try (Lease lease = this.connections.acquire(deadline)) {
			return reduce(lease, sku, this.keys.of(sku), quantities, deadline);
		}
		catch (DeadlineExceededException ex) {
			return contention(sku, quantities.size(), 0);
		}
		catch (RedisCommandExecutionException ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	private List<ReduceOutcome> reduce(Lease lease, String sku, String key, List<Long> quantities, Deadline deadline) {
		RedisAsyncCommands<String, String> redis = lease.commands();
		for (int attempt = 1;; attempt++) {
			if (attempt > 1 && deadline.expired()) {
				return contention(sku, quantities.size(), attempt - 1);
			}
			this.listener.attempted();
			long stock = watchAndRead(lease, sku, key, deadline);
			if (stock < 0) {
				unwatch(lease, deadline);
				return Collections.nCopies(quantities.size(), new ReduceOutcome.UnknownSku(sku, attempt));
			}
			this.listener.watched(sku);
			Allocation allocation = Allocation.of(sku, stock, quantities);
			if (allocation.granted() == 0) {
				// Nothing fits: the read alone is the answer, and nothing is written.
				unwatch(lease, deadline);
				return allocation.outcomes(attempt);
			}
			redis.multi();
			redis.decrby(key, allocation.granted());
			RedisFuture<TransactionResult> exec = redis.exec();
			lease.await(deadline, exec);
			TransactionResult result = Lease.valueOf(exec);
			if (!result.wasDiscarded()) {
				checkApplied(result, allocation);
				return allocation.outcomes(attempt);
			}
			this.listener.conflicted();
			if (!pauseBeforeRetry(attempt, deadline)) {
				return contention(sku, quantities.size(), attempt);
			}
		}
	}

	/**
	 * @return the stock level, or -1 if the key does not exist; the key is WATCHed either
	 * way
	 */
	private long watchAndRead(Lease lease, String sku, String key, Deadline deadline) {
		RedisAsyncCommands<String, String> redis = lease.commands();
		RedisFuture<String> watch = redis.watch(key);
		RedisFuture<String> read = redis.get(key);
		try {
			lease.await(deadline, watch, read);
			String raw = Lease.valueOf(read);
			return (raw != null) ? StockLevel.parse(sku, raw) : -1;
		}
		catch (CorruptStockException ex) {
			unwatch(lease, deadline);
			throw ex;
		}
		catch (RedisCommandExecutionException ex) {
			unwatch(lease, deadline);
			throw StockErrors.translate(sku, ex);
		}
	}

	private void unwatch(Lease lease, Deadline deadline) {
		lease.await(deadline, lease.commands().unwatch());
	}

	private static void checkApplied(TransactionResult result, Allocation allocation) {
		Object after = result.get(0);
		if (!(after instanceof Long level) || level != allocation.remaining()) {
			// WATCH guarantees nobody wrote between our GET and EXEC; if this ever fails
			// the
			// guarantee is gone and no answer we could give would be true.
			throw new IllegalStateException(
					"DECRBY left " + after + " where the watched read promised " + allocation.remaining());
		}
	}

	private boolean pauseBeforeRetry(int failedAttempt, Deadline deadline) {
		if (failedAttempt >= this.retry.maxAttempts()) {
			return false;
		}
		Duration pause = this.retry.backoffAfter(failedAttempt, this.random);
		if (pause.compareTo(deadline.remaining()) >= 0) {
			return false;
		}
		try {
			this.sleeper.sleep(pause);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static List<ReduceOutcome> contention(String sku, int claims, int attempts) {
		return Collections.nCopies(claims, new ReduceOutcome.Contention(sku, attempts));
	}

}
