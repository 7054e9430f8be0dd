package io.stockservice.stock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Optimistic locking, as the article teaches it: WATCH the stock keys, read them, and if
 * the claims fit, DECRBY inside MULTI/EXEC. If any other client wrote a watched key after
 * our WATCH, Redis aborts the EXEC and nothing is applied; we read again and retry within
 * the {@link RetryPolicy} and the deadline.
 * <p>
 * WATCH goes before GET so that a write landing between our read and our EXEC always
 * aborts the EXEC; the two travel in one round trip, MULTI/DECRBY/EXEC in the next. Keyed
 * claims also WATCH and read their idempotency records, and write theirs inside the same
 * MULTI: two retries of one request racing each other cannot both take stock, because the
 * first EXEC's record aborts the second, whose next attempt replays it. Every value is
 * read and checked ({@link BatchPlan}) before the MULTI is queued, so bad data in one key
 * fails only the claims that depend on it. With {@link Replication} required, WAIT
 * travels right behind the EXEC and the claims are answered only once replicas confirmed.
 */
public final class WatchReduceStrategy implements ReduceStrategy {

	public static final String NAME = "watch";

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final Replication replication;

	private final ReduceListener listener;

	private final AttemptLoop loop;

	public WatchReduceStrategy(RedisSessions sessions, StockKeys keys, IdempotencyRecords records,
			Replication replication, RetryPolicy retry, ReduceListener listener, Sleeper sleeper,
			RandomGenerator random) {
		this.keys = keys;
		this.records = records;
		this.replication = replication;
		this.listener = listener;
		this.loop = new AttemptLoop(sessions, retry, sleeper, random);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ReduceOutcome> reduce(List<Claim> claims, Deadline deadline) {
		BatchKeys batch = BatchKeys.of(claims, this.keys);
		ReduceListener listener = ReduceListener.forBatch(this.listener, claims);
		AttemptLoop.Decided<List<ReduceOutcome>> decided;
		try {
			decided = this.loop.run(batch.routingKey(), deadline, listener,
					(session, attempt) -> attempt(session, claims, batch, listener, attempt, deadline));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			return contention(claims, decided.attempts());
		}
		return decided.decision();
	}

	/** One WATCH ... EXEC; {@code null} if the EXEC was aborted. */
	private List<ReduceOutcome> attempt(RedisSession session, List<Claim> claims, BatchKeys batch,
			ReduceListener listener, int attempt, Deadline deadline) {
		Read read = Read.send(session, batch);
		session.await(deadline, read.replies());
		BatchPlan plan = BatchPlan.of(claims, read.stocks(), read.records(), this.keys, this.replication.required());
		listener.watched(batch.skus());
		if (!plan.writes()) {
			// Nothing fits and nothing is to be recorded: the read alone is the answer.
			session.send(deadline, session.unwatch());
			return plan.outcomes(attempt);
		}
		long ttl = this.records.ttl().toMillis();
		Reply<List<Object>> exec = session.transaction((transaction) -> {
			plan.decrements().forEach((sku, units) -> transaction.decrby(batch.stockKeys().get(sku), units));
			plan.records(attempt).forEach((key, record) -> transaction.setPx(key, record, ttl));
			plan.touches().forEach(transaction::rewrite);
		});
		List<Reply<?>> awaited = new ArrayList<>(List.of(exec));
		Reply<Long> confirmed = null;
		if (this.replication.required()) {
			confirmed = session.waitForReplicas(this.replication.replicas(), this.replication.timeoutMillis(deadline));
			awaited.add(confirmed);
		}
		session.await(deadline, awaited);
		List<Object> result = exec.value();
		if (result == null) {
			return null;
		}
		checkApplied(result, plan);
		if (confirmed != null) {
			this.replication.check(session, confirmed);
		}
		return plan.outcomes(attempt);
	}

	private static void checkApplied(List<Object> result, BatchPlan plan) {
		int index = 0;
		for (String sku : plan.decrements().keySet()) {
			Object after = result.get(index++);
			if (!(after instanceof Long level) || level != plan.remaining(sku)) {
				// WATCH guarantees nobody wrote between our GET and EXEC; if this ever
				// fails the guarantee is gone and no answer we could give would be true.
				throw new IllegalStateException("DECRBY left " + after + " of " + sku
						+ " where the watched read promised " + plan.remaining(sku));
			}
		}
	}

	private static List<ReduceOutcome> contention(List<Claim> claims, int attempts) {
		List<ReduceOutcome> outcomes = new ArrayList<>(claims.size());
		claims.forEach((claim) -> outcomes.add(new ReduceOutcome.Contention(claim.items().get(0).sku(), attempts)));
		return Collections.unmodifiableList(outcomes);
	}

	/**
	 * A WATCH of a batch's keys and the reads it guards: sent, and answered once
	 * {@link RedisSession#await} has seen its replies.
	 */
	private record Read(List<Reply<?>> replies, Reply<String> watch, Map<String, Reply<String>> stockReplies,
			Map<String, Reply<String>> recordReplies) {

		/**
		 * WATCH goes first, so that a write after our reads always aborts our EXEC. Each
		 * key is read by a GET of its own (not one MGET), so that a key of another type
		 * answers WRONGTYPE for itself rather than passing for a missing value.
		 */
		static Read send(RedisSession session, BatchKeys batch) {
			List<Reply<?>> replies = new ArrayList<>();
			Reply<String> watch = session.watch(batch.all().toArray(new String[0]));
			replies.add(watch);
			Map<String, Reply<String>> stocks = new LinkedHashMap<>();
			batch.stockKeys().forEach((sku, key) -> {
				Reply<String> reply = session.get(key);
				stocks.put(sku, reply);
				replies.add(reply);
			});
			Map<String, Reply<String>> records = new LinkedHashMap<>();
			for (String key : batch.recordKeys()) {
				Reply<String> reply = session.get(key);
				records.put(key, reply);
				replies.add(reply);
			}
			return new Read(replies, watch, stocks, records);
		}

		/**
		 * @throws RedisErrorReply if the WATCH was refused, or a read failed for another
		 * reason than a key of another type
		 */
		Map<String, Found> stocks() {
			this.watch.value();
			Map<String, Found> found = new LinkedHashMap<>();
			this.stockReplies.forEach((sku, reply) -> found.put(sku, Found.of(reply)));
			return found;
		}

		Map<String, Found> records() {
			Map<String, Found> found = new LinkedHashMap<>();
			this.recordReplies.forEach((key, reply) -> found.put(key, Found.of(reply)));
			return found;
		}

	}

}
