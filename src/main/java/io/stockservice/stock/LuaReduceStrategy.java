package io.stockservice.stock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Check-and-decrement in one atomic Lua script ({@code reduce.lua}): one round trip,
 * never a conflict, never a retry. Serves exactly the semantics of
 * {@link WatchReduceStrategy}, keyed claims and their records included.
 */
public final class LuaReduceStrategy implements ReduceStrategy {

	public static final String NAME = "lua";

	private static final LuaScript SCRIPT = LuaScript.load("reduce.lua");

	private final RedisSessions connections;

	private final StockKeys keys;

	private final IdempotencyRecords records;

	private final ReduceListener listener;

	public LuaReduceStrategy(RedisSessions connections, StockKeys keys, IdempotencyRecords records,
			ReduceListener listener) {
		this.connections = connections;
		this.keys = keys;
		this.records = records;
		this.listener = listener;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ReduceOutcome> reduce(String sku, List<Claim> claims, Deadline deadline) {
		List<String> keys = new ArrayList<>(List.of(this.keys.of(sku)));
		Map<String, Integer> keyIndexes = new LinkedHashMap<>();
		List<String> args = new ArrayList<>(List.of(Long.toString(this.records.ttl().toMillis()), sku));
		for (Claim claim : claims) {
			int index = 0;
			if (claim.keyed()) {
				index = keyIndexes.computeIfAbsent(claim.idempotencyKey(), (key) -> {
					keys.add(this.records.keyOf(key));
					return keys.size();
				});
			}
			args.add(Long.toString(claim.quantity()));
			args.add(Integer.toString(index));
		}
		List<Object> reply;
		try (RedisSession session = this.connections.acquire(deadline)) {
			ReduceListener.forBatch(this.listener, claims).attempted();
			reply = SCRIPT.run(session, deadline, keys, args);
		}
		catch (DeadlineExceededException ex) {
			return Collections.nCopies(claims.size(), new ReduceOutcome.Contention(sku, 0));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.translate(sku, ex);
		}
		if (((Long) reply.get(0)) == 2) {
			throw new CorruptStockException(sku);
		}
		List<ReduceOutcome> outcomes = new ArrayList<>(claims.size());
		for (int i = 0; i < claims.size(); i++) {
			outcomes.add(outcome(sku, claims.get(i), (String) reply.get(i + 1)));
		}
		return outcomes;
	}

	private static ReduceOutcome outcome(String sku, Claim claim, String reply) {
		if (!reply.startsWith("*")) {
			return IdempotencyRecords.decode(reply);
		}
		String stored = reply.substring(1);
		return IdempotencyRecords.sameRequest(stored, sku, claim.quantity())
				? new ReduceOutcome.Replayed(IdempotencyRecords.decode(stored), 1)
				: new ReduceOutcome.KeyReused(sku, claim.idempotencyKey(), 1);
	}

}
