package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.random.RandomGenerator;

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

	private final RedisSessions connections;

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final RetryPolicy retry;

	private final ReduceListener listener;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	private final boolean readAhead;

	public WatchReduceStrategy(RedisSessions connections, StockKeys keys, IdempotencyRecords records, RetryPolicy retry,
			ReduceListener listener, Sleeper sleeper, RandomGenerator random) {
		this(connections, keys, records, retry, listener, sleeper, random, false);
	}

	private WatchReduceStrategy(RedisSessions connections, StockKeys keys, IdempotencyRecords records,
			RetryPolicy retry, ReduceListener listener, Sleeper sleeper, RandomGenerator random, boolean readAhead) {
		this.connections = connections;
		this.keys = keys;
		this.records = records;
		this.retry = retry;
		this.listener = listener;
		this.sleeper = sleeper;
		this.random = random;
		this.readAhead = readAhead;
	}

	/**
	 * This strategy, sending each transaction's next WATCH and reads right behind its
	 * EXEC, so that a retry, or the connection's next transaction on the same SKU, starts
	 * without a round trip of its own. The connection then goes back to the pool with
	 * that WATCH still on; its next user either continues from the read, or sends UNWATCH
	 * with its own first read.
	 */
	public WatchReduceStrategy readingAhead() {
		return new WatchReduceStrategy(this.connections, this.keys, this.records, this.retry, this.listener,
				this.sleeper, this.random, true);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ReduceOutcome> reduce(String sku, List<Claim> claims, Deadline deadline) {
		try (RedisSession session = this.connections.acquire(deadline)) {
			return reduce(session, sku, claims, deadline);
		}
		catch (DeadlineExceededException ex) {
			return contention(sku, claims.size(), 0);
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	private List<ReduceOutcome> reduce(RedisSession session, String sku, List<Claim> claims, Deadline deadline) {
		ReduceListener listener = ReduceListener.forBatch(this.listener, claims);
		String stockKey = this.keys.of(sku);
		Set<String> idempotencyKeys = claims.stream()
			.filter(Claim::keyed)
			.map(Claim::idempotencyKey)
			.collect(Collectors.toCollection(LinkedHashSet::new));
		for (int attempt = 1;; attempt++) {
			if (attempt > 1 && deadline.expired()) {
				return contention(sku, claims.size(), attempt - 1);
			}
			listener.attempted();
			Read read = readAhead(session, stockKey, idempotencyKeys);
			boolean speculative = read != null;
			if (!speculative) {
				read = Read.send(session, stockKey, idempotencyKeys, this.records);
			}
			BatchPlan plan = plan(session, read, sku, claims, deadline);
			listener.watched(sku);
			if (!plan.writes() && !speculative) {
				// Nothing fits and nothing is to be recorded: the read alone is the
				// answer.
				unwatch(session, deadline);
				return plan.outcomes(attempt);
			}
			// A read sent ahead may be old: only an EXEC (if need be an empty one) proves
			// that it still holds, so even a plan that writes nothing commits.
			if (commit(session, read, plan, attempt, deadline)) {
				return plan.outcomes(attempt);
			}
			listener.conflicted();
			if (!pauseBeforeRetry(attempt, deadline)) {
				return contention(sku, claims.size(), attempt);
			}
		}
	}

	/**
	 * The read the connection's last transaction sent ahead, if it is the read this batch
	 * needs; any other is dropped, with an UNWATCH that travels with the next read.
	 */
	private Read readAhead(RedisSession session, String stockKey, Set<String> idempotencyKeys) {
		Object ahead = session.takeReadAhead();
		if (ahead instanceof Read read && read.stockKey().equals(stockKey)
				&& read.idempotencyKeys().equals(idempotencyKeys)) {
			return read;
		}
		if (ahead != null) {
			session.unwatch();
		}
		return null;
	}

	/** Waits for a read and decides the batch from it; the keys stay WATCHed. */
	private BatchPlan plan(RedisSession session, Read read, String sku, List<Claim> claims, Deadline deadline) {
		try {
			session.send(deadline, read.replies());
			String raw = read.stock().value();
			long stock = (raw != null) ? StockLevel.parse(sku, raw) : -1;
			Map<String, String> found = new LinkedHashMap<>();
			read.records().forEach((idempotencyKey, reply) -> {
				String record = reply.value();
				if (record != null) {
					found.put(idempotencyKey, record);
				}
			});
			return BatchPlan.of(sku, stock, claims, found);
		}
		catch (CorruptStockException ex) {
			unwatch(session, deadline);
			throw ex;
		}
		catch (RedisErrorReply ex) {
			unwatch(session, deadline);
			throw StockErrors.translate(sku, ex);
		}
	}

	/**
	 * Applies the plan in MULTI/EXEC. With read-ahead on, the next attempt's (or the next
	 * batch's) WATCH and reads travel right behind the EXEC, in the same round trip.
	 * @return whether EXEC ran; {@code false} if a watched key changed and Redis aborted
	 * it
	 */
	private boolean commit(RedisSession session, Read read, BatchPlan plan, int attempt, Deadline deadline) {
		long ttl = this.records.ttl().toMillis();
		Reply<List<Object>> exec = session.transaction((transaction) -> {
			if (plan.granted() > 0) {
				transaction.decrby(read.stockKey(), plan.granted());
			}
			plan.records(attempt).forEach((key, record) -> transaction.setPx(this.records.keyOf(key), record, ttl));
		});
		if (this.readAhead) {
			session.readAhead(Read.send(session, read.stockKey(), read.idempotencyKeys(), this.records));
		}
		session.send(deadline, exec);
		List<Object> result = exec.value();
		if (result == null) {
			return false;
		}
		if (plan.granted() > 0) {
			checkApplied(result, plan);
		}
		return true;
	}

	private void unwatch(RedisSession session, Deadline deadline) {
		session.send(deadline, session.unwatch());
	}

	private static void checkApplied(List<Object> result, BatchPlan plan) {
		Object after = result.get(0);
		if (!(after instanceof Long level) || level != plan.remaining()) {
			// WATCH guarantees nobody wrote between our GET and EXEC; if this ever fails
			// the guarantee is gone and no answer we could give would be true.
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

	/**
	 * A WATCH of a stock key and of idempotency records, and the reads it guards: sent,
	 * and answered once {@link RedisSession#send} has seen its replies.
	 */
	private record Read(String stockKey, Set<String> idempotencyKeys, List<Reply<?>> replies, Reply<String> stock,
			Map<String, Reply<String>> records) {

		/** WATCH goes first, so that a write after our reads always aborts our EXEC. */
		static Read send(RedisSession session, String stockKey, Set<String> idempotencyKeys, IdempotencyRecords keys) {
			List<String> watched = new ArrayList<>(List.of(stockKey));
			idempotencyKeys.forEach((key) -> watched.add(keys.keyOf(key)));
			List<Reply<?>> replies = new ArrayList<>();
			replies.add(session.watch(watched.toArray(new String[0])));
			Reply<String> stock = session.get(stockKey);
			replies.add(stock);
			Map<String, Reply<String>> records = new LinkedHashMap<>();
			for (String key : idempotencyKeys) {
				Reply<String> record = session.get(keys.keyOf(key));
				records.put(key, record);
				replies.add(record);
			}
			return new Read(stockKey, idempotencyKeys, replies, stock, records);
		}

	}

}
