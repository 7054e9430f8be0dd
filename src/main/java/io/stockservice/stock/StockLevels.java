package io.stockservice.stock;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads and administers stock levels: read, set, restock, delete. Reductions go through
 * {@link StockReducer}; these are the operations around them.
 */
public final class StockLevels {

	private static final LuaScript RESTOCK = LuaScript.load("restock.lua");

	private final RedisSessions connections;

	private final StockKeys keys;

	private final Duration timeout;

	public StockLevels(RedisSessions connections, StockKeys keys, Duration timeout) {
		this.connections = connections;
		this.keys = keys;
		this.timeout = timeout;
	}

	/**
	 * @return the stock level, or empty if the SKU has none
	 * @throws CorruptStockException if the key holds something else
	 */
	public OptionalLong get(String sku) {
		String raw = call(sku, (session) -> session.get(this.keys.of(sku)));
		return (raw != null) ? OptionalLong.of(StockLevel.parse(sku, raw)) : OptionalLong.empty();
	}

	/**
	 * Reads the levels of several SKUs in one round trip (MGET), as the stock-level
	 * gauges do on every scrape.
	 * @return the level of each SKU that has one, in the order asked; a SKU with no
	 * stock, or whose key holds something that is not a level, is left out
	 */
	public Map<String, Long> levels(List<String> skus) {
		if (skus.isEmpty()) {
			return Map.of();
		}
		List<String> keys = skus.stream().map(this.keys::of).toList();
		List<String> values = call(skus.get(0), (session) -> session.mget(keys));
		Map<String, Long> levels = new LinkedHashMap<>();
		for (int i = 0; i < skus.size(); i++) {
			String sku = skus.get(i);
			String raw = values.get(i);
			if (raw == null) {
				continue;
			}
			try {
				levels.put(sku, StockLevel.parse(sku, raw));
			}
			catch (CorruptStockException ex) {
				// Not a level: the gauge shows none, as for a SKU without stock.
			}
		}
		return levels;
	}

	/** Sets the level, replacing whatever the key held (also a corrupt value). */
	public void set(String sku, long level) {
		if (level < 0 || level > StockLevel.MAX) {
			throw new IllegalArgumentException("A stock level is 0 .. 2^53, was " + level);
		}
		call(sku, (session) -> session.set(this.keys.of(sku), Long.toString(level)));
	}

	/**
	 * Adds units to an existing stock, atomically checking that it exists and stays a
	 * level.
	 */
	public Restock restock(String sku, long quantity) {
		if (quantity < 1) {
			throw new IllegalArgumentException("A restock adds at least 1 unit, was " + quantity);
		}
		Deadline deadline = Deadline.after(this.timeout);
		try (RedisSession session = acquire(deadline)) {
			List<Object> reply = RESTOCK.run(session, deadline, List.of(this.keys.of(sku)),
					List.of(Long.toString(quantity), Long.toString(StockLevel.MAX)));
			return switch (((Long) reply.get(0)).intValue()) {
				case 0 -> new Restock.Restocked((Long) reply.get(1));
				case 1 -> new Restock.UnknownSku();
				case 2 -> throw new CorruptStockException(sku);
				case 3 -> new Restock.WouldPassMaximum((Long) reply.get(1));
				default -> throw new IllegalStateException("Unexpected reply from restock.lua: " + reply);
			};
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	/**
	 * @return whether there was a stock key to delete
	 */
	public boolean delete(String sku) {
		Long deleted = call(sku, (session) -> session.del(this.keys.of(sku)));
		return deleted != null && deleted > 0;
	}

	private <T> T call(String sku, Function<RedisSession, Reply<T>> command) {
		Deadline deadline = Deadline.after(this.timeout);
		try (RedisSession session = acquire(deadline)) {
			Reply<T> reply = command.apply(session);
			session.send(deadline, reply);
			return reply.value();
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	private RedisSession acquire(Deadline deadline) {
		try {
			return this.connections.acquire(deadline);
		}
		catch (DeadlineExceededException ex) {
			throw new StockUnavailableException("No Redis connection came free in time", ex);
		}
	}

	/** How a restock ended. */
	public sealed interface Restock {

		record Restocked(long available) implements Restock {
		}

		record UnknownSku() implements Restock {
		}

		record WouldPassMaximum(long available) implements Restock {
		}

	}

}
