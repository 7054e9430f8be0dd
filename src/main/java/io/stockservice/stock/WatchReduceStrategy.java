package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Optimistic locking, as the article teaches it: WATCH the stock key, read it, and if the
 * claims fit, DECRBY inside MULTI/EXEC. If any other client wrote the key after our
 * WATCH, Redis aborts the EXEC and nothing is applied; we read again and retry within the
 * {@link RetryPolicy} and the deadline.
 * <p>
 * WATCH goes before GET so that a write landing between our read and our EXEC always
 * aborts the EXEC; the two travel in one round trip, MULTI/DECRBY/EXEC in the next. Keyed
 * claims also WATCH and read their idempotency records, and write theirs inside the same
 * MULTI: two retries of one request racing each other cannot both take stock, because the
 * first EXEC's record aborts the second, whose next attempt replays it.
 */
public final class WatchReduceStrategy implements ReduceStrategy {

	public static final String NAME = "watch";

	private final TransactionConnections connections;

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final RetryPolicy retry;

	private final ReduceListener listener;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	public WatchReduceStrategy(TransactionConnections connections, StockKeys keys, IdempotencyRecords records,
			RetryPolicy retry, ReduceListener listener, Sleeper sleeper, RandomGenerator random) {
		this.connections = connections;
		this.keys = keys;
		this.records = records;
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
	public List<ReduceOutcome> reduce(String sku, List<Claim> claims, Deadline deadline) {
		try (Lease lease = this.connections.acquire(deadline)) {
			return reduce(lease, sku, claims, deadline);
		}
		catch (DeadlineExceededException ex) {
			return contention(sku, claims.size(), 0);
		}
		catch (RedisCommandExecutionException ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	private List<ReduceOutcome> reduce(Lease lease, String sku, List<Claim> claims, Deadline deadline) {
		for (int attempt = 1;; attempt++) {
			if (attempt > 1 && deadline.expired()) {
				return contention(sku, claims.size(), attempt - 1);
			}
			this.listener.attempted();
			BatchPlan plan = watchAndRead(lease, sku, claims, deadline);
			this.listener.watched(sku);
			if (!plan.writes()) {
				// Nothing fits and nothing is to be recorded: the read alone is the
				// answer.
				unwatch(lease, deadline);
				return plan.outcomes(attempt);
			}
			if (commit(lease, sku, plan, attempt, deadline)) {
				return plan.outcomes(attempt);
			}
			this.listener.conflicted();
			if (!pauseBeforeRetry(attempt, deadline)) {
				return contention(sku, claims.size(), attempt);
			}
		}
	}

	/** WATCHes and reads the stock key and the claims' records, in one round trip. */
	private BatchPlan watchAndRead(Lease lease, String sku, List<Claim> claims, Deadline deadline) {
		RedisAsyncCommands<String, String> redis = lease.commands();
		String stockKey = this.keys.of(sku);
		Map<String, RedisFuture<String>> recordReads = new LinkedHashMap<>();
		for (Claim claim : claims) {
			if (claim.keyed()) {
				recordReads.putIfAbsent(claim.idempotencyKey(), null);
			}
		}
		String[] watched = new String[1 + recordReads.size()];
		watched[0] = stockKey;
		int i = 1;
		for (String idempotencyKey : recordReads.keySet()) {
			watched[i++] = this.records.keyOf(idempotencyKey);
		}
		List<RedisFuture<?>> replies = new ArrayList<>();
		replies.add(redis.watch(watched));
		RedisFuture<String> stockRead = redis.get(stockKey);
		replies.add(stockRead);
		recordReads.replaceAll((idempotencyKey, none) -> redis.get(this.records.keyOf(idempotencyKey)));
		replies.addAll(recordReads.values());
		try {
			lease.await(deadline, replies);
			String raw = Lease.valueOf(stockRead);
			long stock = (raw != null) ? StockLevel.parse(sku, raw) : -1;
			Map<String, String> found = new LinkedHashMap<>();
			recordReads.forEach((idempotencyKey, read) -> {
				String record = Lease.valueOf(read);
				if (record != null) {
					found.put(idempotencyKey, record);
				}
			});
			return BatchPlan.of(sku, stock, claims, found);
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

	/**
	 * Applies the plan in MULTI/EXEC.
	 * @return whether EXEC ran; {@code false} if a watched key changed and Redis aborted
	 * it
	 */
	private boolean commit(Lease lease, String sku, BatchPlan plan, int attempt, Deadline deadline) {
		RedisAsyncCommands<String, String> redis = lease.commands();
		redis.multi();
		if (plan.granted() > 0) {
			redis.decrby(this.keys.of(sku), plan.granted());
		}
		SetArgs expiry = SetArgs.Builder.px(this.records.ttl().toMillis());
		plan.records(attempt).forEach((key, record) -> redis.set(this.records.keyOf(key), record, expiry));
		RedisFuture<TransactionResult> exec = redis.exec();
		lease.await(deadline, exec);
		TransactionResult result = Lease.valueOf(exec);
		if (result.wasDiscarded()) {
			return false;
		}
		if (plan.granted() > 0) {
			checkApplied(result, plan);
		}
		return true;
	}

	private void unwatch(Lease lease, Deadline deadline) {
		lease.await(deadline, lease.commands().unwatch());
	}

	private static void checkApplied(TransactionResult result, BatchPlan plan) {
		Object after = result.get(0);
		if (!(after instanceof Long level) || level != plan.remaining()) {
			// WATCH guarantees nobody wrote between our GET and EXEC; if this ever fails
			// the
			// guarantee is gone and no answer we could give would be true.
			throw new IllegalStateException(
					"DECRBY left " + after + " where the watched read promised " + plan.remaining());
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
