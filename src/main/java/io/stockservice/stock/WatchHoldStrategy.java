package io.stockservice.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Holds by optimistic locking, as {@link WatchReduceStrategy} reduces: WATCH every key a
 * step depends on, read them and Redis time, decide ({@link CreationPlan},
 * {@link MovePlan}), and write inside MULTI/EXEC. If anyone wrote a watched key after our
 * WATCH, the EXEC is aborted, nothing is applied, and the step starts again.
 * <p>
 * A creation is two round trips. A move is three: the hold says which SKUs it holds, and
 * their levels are watched and read only then; the hold was watched first, so a move by
 * anyone else in between still aborts ours. A step that marks a missing hold void writes
 * that mark in a MULTI too: a creation that read the key as missing before it was marked
 * is then aborted, which is why the mark exists.
 */
public final class WatchHoldStrategy implements HoldStrategy {

	private final HoldSettings settings;

	private final AttemptLoop loop;

	public WatchHoldStrategy(RedisSessions sessions, HoldSettings settings, Sleeper sleeper, RandomGenerator random) {
		this.settings = settings;
		this.loop = new AttemptLoop(sessions, settings.retry(), sleeper, random);
	}

	@Override
	public String name() {
		return WatchReduceStrategy.NAME;
	}

	@Override
	public PartCreated create(PartCreation creation, Deadline deadline) {
		StockKeys keys = this.settings.keys();
		String hold = keys.hold(creation.partAnchor(), creation.reservationId());
		AttemptLoop.Decided<PartCreated> decided = run(hold, deadline,
				(session, attempt) -> createOnce(session, creation, hold, deadline));
		return (decided.decision() != null) ? decided.decision() : new PartCreated.Contention(decided.attempts());
	}

	private PartCreated createOnce(RedisSession session, PartCreation creation, String hold, Deadline deadline) {
		StockKeys keys = this.settings.keys();
		List<String> watched = new ArrayList<>(List.of(hold));
		if (creation.recordKey() != null) {
			watched.add(creation.recordKey());
		}
		creation.items().forEach((item) -> watched.add(keys.stock(item.sku())));
		creation.items().forEach((item) -> watched.add(keys.reserved(item.sku())));
		List<Reply<?>> replies = new ArrayList<>();
		Reply<String> watch = session.watch(watched.toArray(new String[0]));
		Reply<Long> time = session.time();
		Reply<Map<String, String>> existing = session.hgetall(hold);
		Reply<String> record = (creation.recordKey() != null) ? session.get(creation.recordKey()) : null;
		List<Reply<String>> levels = new ArrayList<>();
		for (String key : watched.subList(watched.size() - 2 * creation.items().size(), watched.size())) {
			levels.add(session.get(key));
		}
		replies.addAll(List.of(watch, time, existing));
		if (record != null) {
			replies.add(record);
		}
		replies.addAll(levels);
		session.await(deadline, replies);
		watch.value();
		int n = creation.items().size();
		List<Found> found = levels.stream().map(Found::of).toList();
		CreationPlan plan = CreationPlan.decide(creation, this.settings, time.value(), exists(existing),
				(record != null) ? Found.of(record) : Found.NOTHING, found.subList(0, n), found.subList(n, 2 * n));
		return commit(session, deadline, plan.writes(), plan::write) ? plan.outcome() : null;
	}

	@Override
	public PartMoved move(PartMove move, Deadline deadline) {
		String hold = this.settings.keys().hold(move.partAnchor(), move.reservationId());
		AttemptLoop.Decided<PartMoved> decided = run(hold, deadline,
				(session, attempt) -> moveOnce(session, move, hold, deadline));
		return (decided.decision() != null) ? decided.decision() : new PartMoved.Contention(decided.attempts());
	}

	private PartMoved moveOnce(RedisSession session, PartMove move, String hold, Deadline deadline) {
		Reply<String> watch = session.watch(hold);
		Reply<Long> time = session.time();
		Reply<Map<String, String>> fields = session.hgetall(hold);
		session.await(deadline, List.of(watch, time, fields));
		watch.value();
		MovePlan plan = MovePlan.decide(move, this.settings, time.value(), hash(fields));
		if (plan.needsLevels()) {
			List<String> keys = plan.levelKeys();
			Reply<String> more = session.watch(keys.toArray(new String[0]));
			List<Reply<String>> levels = keys.stream().map(session::get).toList();
			List<Reply<?>> replies = new ArrayList<>(List.of(more));
			replies.addAll(levels);
			session.await(deadline, replies);
			more.value();
			plan = plan.withLevels(levels.stream().map(Found::of).toList());
		}
		MovePlan decided = plan;
		return commit(session, deadline, decided.writes(), decided::write) ? decided.outcome() : null;
	}

	/**
	 * Writes what the plan writes in one MULTI, and waits for replicas if required; or,
	 * if it writes nothing, ends the WATCH.
	 * @return whether the step stands: {@code false} if the EXEC was aborted
	 */
	private boolean commit(RedisSession session, Deadline deadline, boolean writes,
			Consumer<RedisSession.Transaction> body) {
		if (!writes) {
			session.send(deadline, session.unwatch());
			return true;
		}
		Reply<List<Object>> exec = session.transaction(body);
		Replication replication = this.settings.replication();
		Reply<Long> confirmed = replication.required()
				? session.waitForReplicas(replication.replicas(), replication.timeoutMillis(deadline)) : null;
		session.await(deadline, (confirmed != null) ? List.of(exec, confirmed) : List.of(exec));
		List<Object> results = exec.value();
		if (results == null) {
			return false;
		}
		for (Object result : results) {
			if (result instanceof Exception failure) {
				// Every value was checked before the MULTI and nobody wrote a watched key
				// since; a command that still failed means that guarantee is gone.
				throw new IllegalStateException("A command of a checked hold transaction failed", failure);
			}
		}
		if (confirmed != null) {
			replication.check(session, confirmed);
		}
		return true;
	}

	private <T> AttemptLoop.Decided<T> run(String key, Deadline deadline, AttemptLoop.Attempt<T> attempt) {
		try {
			return this.loop.run(key, deadline, ReduceListener.NONE, attempt);
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
	}

	private static boolean exists(Reply<Map<String, String>> hash) {
		Map<String, String> fields = hash(hash);
		return fields == null || !fields.isEmpty();
	}

	/** The hash's fields, or {@code null} if the key holds another type. */
	private static Map<String, String> hash(Reply<Map<String, String>> hash) {
		RedisErrorReply error = hash.error();
		if (error != null) {
			if (error.wrongType()) {
				return null;
			}
			throw error;
		}
		return hash.value();
	}

}
