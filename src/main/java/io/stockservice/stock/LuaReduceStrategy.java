package io.stockservice.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Check-and-decrement in one atomic Lua script ({@code reduce.lua}): one round trip,
 * never a conflict. Serves exactly the semantics of {@link WatchReduceStrategy}, keyed
 * claims, their records and bad data included. It is retried only when a Redis Cluster
 * moves the batch's slot (MOVED, ASK, TRYAGAIN), and with {@link Replication} required, a
 * WAIT follows a script that wrote.
 */
public final class LuaReduceStrategy implements ReduceStrategy {

	public static final String NAME = "lua";

	private static final LuaScript SCRIPT = LuaScript.load("reduce.lua");

	private final RedisSessions sessions;

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final Replication replication;

	private final ReduceListener listener;

	private final AttemptLoop loop;

	public LuaReduceStrategy(RedisSessions sessions, StockKeys keys, IdempotencyRecords records,
			Replication replication, RetryPolicy retry, ReduceListener listener, Sleeper sleeper,
			java.util.random.RandomGenerator random) {
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
		BatchKeys batch = BatchKeys.of(claims, this.keys);
		AttemptLoop.Decided<List<ReduceOutcome>> decided;
		try {
			decided = this.loop.run(batch.routingKey(), deadline, ReduceListener.forBatch(this.listener, claims),
					(session, attempt) -> attempt(session, claims, batch, attempt, deadline));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			return claims.stream()
				.map((claim) -> (ReduceOutcome) new ReduceOutcome.Contention(claim.items().get(0).sku(),
						decided.attempts()))
				.toList();
		}
		return decided.decision();
	}

	private List<ReduceOutcome> attempt(RedisSession session, List<Claim> claims, BatchKeys batch, int attempt,
			Deadline deadline) {
		List<String> keys = batch.all();
		Map<String, Integer> indexes = indexes(keys);
		List<String> args = new ArrayList<>(
				List.of(Long.toString(this.records.ttl().toMillis()), Integer.toString(attempt),
						this.replication.required() ? "1" : "0", Integer.toString(batch.skus().size())));
		args.addAll(batch.skus());
		for (Claim claim : claims) {
			args.add(claim.keyed()
					? Integer.toString(indexes.get(this.keys.record(claim.anchorSku(), claim.idempotencyKey()))) : "0");
			args.add(Integer.toString(claim.items().size()));
			for (Item item : claim.items()) {
				args.add(Integer.toString(indexes.get(batch.stockKeys().get(item.sku()))));
				args.add(Long.toString(item.quantity()));
			}
		}
		List<Object> reply = SCRIPT.run(session, deadline, keys, args);
		if (this.replication.required() && ((Long) reply.get(0)) == 1) {
			Reply<Long> confirmed = session.waitForReplicas(this.replication.replicas(),
					this.replication.timeoutMillis(deadline));
			session.send(deadline, confirmed);
			this.replication.check(session, confirmed);
		}
		List<ReduceOutcome> outcomes = new ArrayList<>(claims.size());
		for (int i = 0; i < claims.size(); i++) {
			outcomes.add(outcome(claims, outcomes, i, (String) reply.get(i + 1), attempt));
		}
		return outcomes;
	}

	/** The 1-based index of each key in KEYS, as the script addresses them. */
	private static Map<String, Integer> indexes(List<String> keys) {
		Map<String, Integer> indexes = new HashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			indexes.put(keys.get(i), i + 1);
		}
		return indexes;
	}

	private ReduceOutcome outcome(List<Claim> claims, List<ReduceOutcome> earlier, int index, String reply,
			int attempt) {
		Claim claim = claims.get(index);
		String sku = claim.items().get(0).sku();
		switch (reply.charAt(0)) {
			case '=' -> {
				int first = Integer.parseInt(reply.substring(1)) - 1;
				if (!claims.get(first).items().equals(claim.items())) {
					return new ReduceOutcome.KeyReused(sku, claim.idempotencyKey(), attempt);
				}
				ReduceOutcome original = earlier.get(first);
				boolean definitive = original.kind() == Outcome.SUCCESS || original.kind() == Outcome.INSUFFICIENT
						|| original.kind() == Outcome.NOT_FOUND;
				return definitive ? new ReduceOutcome.Replayed(original, attempt) : original;
			}
			case 'C' -> {
				return new ReduceOutcome.CorruptStock(reply.substring(2), attempt);
			}
			case 'X' -> {
				return new ReduceOutcome.CorruptRecord(claim.anchorSku(),
						this.keys.record(claim.anchorSku(), claim.idempotencyKey()), attempt);
			}
			case 'K' -> {
				return new ReduceOutcome.KeyReused(sku, claim.idempotencyKey(), attempt);
			}
			case '*' -> {
				return new ReduceOutcome.Replayed(decode(reply.substring(1), claim).outcome(), attempt);
			}
			default -> {
				return decode(reply, claim).outcome();
			}
		}
	}

	/** A record the script wrote or checked: it always reads back. */
	private static IdempotencyRecords.Decoded decode(String record, Claim claim) {
		IdempotencyRecords.Decoded decoded = IdempotencyRecords.decode(record, claim.anchorSku());
		if (decoded == null) {
			throw new IllegalStateException("reduce.lua answered a record IdempotencyRecords cannot read: " + record);
		}
		return decoded;
	}

}
