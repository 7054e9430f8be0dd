package io.stockservice.stock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>
 * A batch may combine claims on different SKUs, to share its round trips: they are
 * decided independently, but share one EXEC, which a write to any of their keys aborts.
 * Then the parts seen written are tried again apart from the rest, and the rest together
 * at once (see {@link #apart}).
 */
public final class WatchReduceStrategy implements ReduceStrategy {

	public static final String NAME = "watch";

	private final RedisSessions sessions;

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final Replication replication;

	private final ReduceListener listener;

	private final AttemptLoop loop;

	public WatchReduceStrategy(RedisSessions sessions, StockKeys keys, IdempotencyRecords records,
			Replication replication, RetryPolicy retry, ReduceListener listener, Sleeper sleeper,
			RandomGenerator random) {
		this.sessions = sessions;
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
	public int slot(String sku) {
		return this.sessions.slot(this.keys.stock(sku));
	}

	@Override
	public List<ReduceOutcome> reduce(List<Claim> claims, Deadline deadline) {
		return reduce(claims, deadline, AttemptLoop.Start.FRESH);
	}

	private List<ReduceOutcome> reduce(List<Claim> claims, Deadline deadline, AttemptLoop.Start start) {
		BatchKeys batch = BatchKeys.of(claims, this.keys);
		ReduceListener listener = ReduceListener.forBatch(this.listener, claims);
		AttemptLoop.Decided<Attempted> decided;
		try {
			decided = this.loop.run(batch.routingKey(), deadline, listener, start,
					(session, attempt) -> attempt(session, claims, batch, listener, attempt, deadline));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		Attempted attempted = decided.decision();
		if (attempted == null) {
			return contention(claims, decided.attempts());
		}
		if (attempted.touched() != null) {
			return apart(claims, attempted.touched(), deadline, decided.attempts());
		}
		return attempted.outcomes();
	}

	/**
	 * A batch of independent parts (claims on different SKUs, combined to share round
	 * trips) lost its EXEC to a write on some of them. The parts whose keys were seen to
	 * change are tried again apart from the rest, after the pause a conflict earns, so
	 * that a SKU another client keeps writing cannot hold the others back; the rest are
	 * tried again together at once, since nothing they depend on changed. Several parts
	 * seen to change are tried again together while that leaves others out (a write on
	 * one of them then splits them once more), else each alone. If no change was seen (a
	 * value written back as it was), the whole batch is tried again after a pause. Every
	 * claim's attempts count the aborted transaction, so that splitting never earns a
	 * claim more attempts than {@link RetryPolicy#maxAttempts()}.
	 * <p>
	 * The parts are tried one after another: if one fails with Redis once others were
	 * decided, a {@link PartlyDecidedException} carries the decided outcomes, so that
	 * only the claims whose outcome is unknown fail.
	 */
	private List<ReduceOutcome> apart(List<Claim> claims, Set<String> touched, Deadline deadline, int attempts) {
		List<Integer> calm = new ArrayList<>();
		List<List<Integer>> hit = new ArrayList<>();
		for (List<Integer> part : BatchParts.of(claims)) {
			if (part.stream().anyMatch((i) -> claims.get(i).skus().stream().anyMatch(touched::contains))) {
				hit.add(part);
			}
			else {
				calm.addAll(part);
			}
		}
		if (hit.isEmpty()) {
			return reduce(claims, deadline, new AttemptLoop.Start(attempts, true));
		}
		ReduceOutcome[] outcomes = new ReduceOutcome[claims.size()];
		try {
			if (!calm.isEmpty()) {
				Collections.sort(calm);
				serve(claims, calm, outcomes, deadline, new AttemptLoop.Start(attempts, false));
			}
			AttemptLoop.Start afterPause = new AttemptLoop.Start(attempts, true);
			if (hit.size() > 1 && !calm.isEmpty()) {
				List<Integer> together = new ArrayList<>();
				hit.forEach(together::addAll);
				Collections.sort(together);
				serve(claims, together, outcomes, deadline, afterPause);
			}
			else {
				for (List<Integer> part : hit) {
					serve(claims, part, outcomes, deadline, afterPause);
				}
			}
		}
		catch (RuntimeException ex) {
			if (Arrays.stream(outcomes).allMatch(Objects::isNull)) {
				throw ex;
			}
			throw new PartlyDecidedException(outcomes, ex);
		}
		return List.of(outcomes);
	}

	private void serve(List<Claim> claims, List<Integer> part, ReduceOutcome[] outcomes, Deadline deadline,
			AttemptLoop.Start start) {
		List<ReduceOutcome> served;
		try {
			served = reduce(part.stream().map(claims::get).toList(), deadline, start);
		}
		catch (PartlyDecidedException ex) {
			// The part was split in turn: what it decided stands.
			for (int i = 0; i < part.size(); i++) {
				outcomes[part.get(i)] = ex.outcome(i);
			}
			throw ex.failure();
		}
		for (int i = 0; i < part.size(); i++) {
			outcomes[part.get(i)] = served.get(i);
		}
	}

	/**
	 * One WATCH ... EXEC; {@code null} if the EXEC was aborted and the batch is tried
	 * again whole, the SKUs seen to change if it is split.
	 */
	private Attempted attempt(RedisSession session, List<Claim> claims, BatchKeys batch, ReduceListener listener,
			int attempt, Deadline deadline) {
		BatchRead read = BatchRead.send(session, batch, true);
		session.await(deadline, read.replies());
		Map<String, Found> stocks = read.stocks();
		Map<String, Found> records = read.records();
		BatchPlan plan = BatchPlan.of(claims, stocks, records, this.keys, this.replication.required());
		listener.watched(batch.skus());
		if (!plan.writes()) {
			// Nothing fits and nothing is to be recorded: the read alone is the answer.
			session.send(deadline, session.unwatch());
			return new Attempted(plan.outcomes(attempt), null);
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
			if (BatchParts.of(claims).size() == 1) {
				return null;
			}
			listener.conflicted();
			return new Attempted(null, touched(session, claims, batch, stocks, records, deadline));
		}
		checkApplied(result, plan);
		if (confirmed != null) {
			this.replication.check(session, confirmed);
		}
		return new Attempted(plan.outcomes(attempt), null);
	}

	/**
	 * The SKUs of the batch whose stock, or the record of a claim on them, no longer
	 * reads as it did: read again, without a WATCH (the aborted EXEC ended it).
	 */
	private Set<String> touched(RedisSession session, List<Claim> claims, BatchKeys batch, Map<String, Found> stocks,
			Map<String, Found> records, Deadline deadline) {
		BatchRead again = BatchRead.send(session, batch, false);
		session.await(deadline, again.replies());
		Set<String> touched = new HashSet<>();
		again.stocks().forEach((sku, found) -> {
			if (!found.equals(stocks.get(sku))) {
				touched.add(sku);
			}
		});
		Map<String, Found> recordsNow = again.records();
		for (Claim claim : claims) {
			if (claim.keyed()) {
				String key = this.keys.record(claim.anchorSku(), claim.idempotencyKey());
				if (!recordsNow.get(key).equals(records.get(key))) {
					touched.add(claim.anchorSku());
				}
			}
		}
		return touched;
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

	/**
	 * What an attempt came to: the outcomes, or for a batch to be split, the SKUs seen to
	 * change.
	 */
	private record Attempted(List<ReduceOutcome> outcomes, Set<String> touched) {
	}

	private static List<ReduceOutcome> contention(List<Claim> claims, int attempts) {
		List<ReduceOutcome> outcomes = new ArrayList<>(claims.size());
		claims.forEach((claim) -> outcomes.add(new ReduceOutcome.Contention(claim.items().get(0).sku(), attempts)));
		return Collections.unmodifiableList(outcomes);
	}

}
