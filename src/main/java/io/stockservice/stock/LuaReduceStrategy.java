package io.stockservice.stock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;

/**
 * Check-and-decrement in one atomic Lua script: one round trip, never a conflict, never a
 * retry. Serves exactly the semantics of {@link WatchReduceStrategy}.
 */
public final class LuaReduceStrategy implements ReduceStrategy {

	public static final String NAME = "lua";

	private static final LuaScript SCRIPT = LuaScript.load("reduce.lua");

	private final TransactionConnections connections;

	private final StockKeys keys;

	private final ReduceListener listener;

	public LuaReduceStrategy(TransactionConnections connections, StockKeys keys, ReduceListener listener) {
		this.connections = connections;
		this.keys = keys;
		this.listener = listener;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ReduceOutcome> reduce(String sku, List<Long> quantities, Deadline deadline) {
		List<Long> reply;
		try (Lease lease = this.connections.acquire(deadline)) {
			this.listener.attempted();
			reply = SCRIPT.run(lease, deadline, this.keys.of(sku),
					quantities.stream().map(String::valueOf).toArray(String[]::new));
		}
		catch (DeadlineExceededException ex) {
			return Collections.nCopies(quantities.size(), new ReduceOutcome.Contention(sku, 0));
		}
		catch (RedisCommandExecutionException ex) {
			throw StockErrors.translate(sku, ex);
		}
		return switch (reply.get(0).intValue()) {
			case 0 -> outcomes(sku, quantities, reply);
			case 1 -> Collections.nCopies(quantities.size(), new ReduceOutcome.UnknownSku(sku, 1));
			case 2 -> throw new CorruptStockException(sku);
			default -> throw new IllegalStateException("Unexpected reply from reduce.lua: " + reply);
		};
	}

	private static List<ReduceOutcome> outcomes(String sku, List<Long> quantities, List<Long> reply) {
		List<ReduceOutcome> outcomes = new ArrayList<>(quantities.size());
		for (int i = 0; i < quantities.size(); i++) {
			long left = reply.get(i + 1);
			outcomes.add((left >= 0) ? new ReduceOutcome.Reduced(sku, quantities.get(i), left, 1)
					: new ReduceOutcome.Insufficient(sku, quantities.get(i), -1 - left, 1));
		}
		return outcomes;
	}

}
