package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads and administers stock levels: read, set, restock, delete. Reductions go through
 * {@link StockReducer}; these are the operations around them.
 */
public final class StockLevels {

	private static final LuaScript RESTOCK = LuaScript.load("restock.lua");

	/**
	 * Reads and writes here are single commands: they are tried again only when a Redis
	 * Cluster redirects them, a few times and quickly.
	 */
	private static final RetryPolicy REDIRECTS = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(50));

	private final RedisSessions sessions;

	private final StockKeys keys;

	private final Duration timeout;

	private final AttemptLoop loop;

	public StockLevels(RedisSessions sessions, StockKeys keys, Duration timeout) {
		this.sessions = sessions;
		this.keys = keys;
		this.timeout = timeout;
		this.loop = new AttemptLoop(sessions, REDIRECTS, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/**
	 * @return the stock level, or empty if the SKU has none
	 * @throws CorruptStockException if the key holds something else
	 */
	public OptionalLong get(String sku) {
		String raw = call(sku, (session) -> session.get(this.keys.stock(sku)));
		return (raw != null) ? OptionalLong.of(StockLevel.parse(sku, raw)) : OptionalLong.empty();
	}

	/**
	 * Reads a SKU's stock and the units of it held by reservations together: two keys of
	 * one hash slot, read in one transaction, so the two are one instant's.
	 * @return the stock, or empty if the SKU has none
	 * @throws CorruptStockException if either key holds something that is not a level
	 */
	public Optional<Stock> read(String sku) {
		// Both GETs in one MULTI, so that they see one instant; not one MGET, which
		// answers
		// nothing for a key of another type, where a GET tells it is corrupt.
		List<Object> values = call(sku, (session, deadline) -> {
			Reply<List<Object>> exec = session.transaction((transaction) -> {
				transaction.get(this.keys.stock(sku));
				transaction.get(this.keys.reserved(sku));
			});
			session.send(deadline, exec);
			return exec.value();
		});
		if (values.get(0) instanceof Exception || values.get(1) instanceof Exception) {
			throw new CorruptStockException(sku);
		}
		if (values.get(0) == null) {
			return Optional.empty();
		}
		long reserved = (values.get(1) != null) ? StockLevel.parse(sku, (String) values.get(1)) : 0;
		return Optional.of(new Stock(StockLevel.parse(sku, (String) values.get(0)), reserved));
	}

	/**
	 * A SKU's stock.
	 *
	 * @param available the units that can be reduced or held
	 * @param reserved the units held by reservations now, besides {@code available}
	 */
	public record Stock(long available, long reserved) {
	}

	/**
	 * Reads the levels of several SKUs in one round trip (MGET), as the stock-level
	 * gauges do on every scrape.
	 * @return the level of each SKU that has one, in the order asked; a SKU with no
	 * stock, or whose key holds something that is not a level, is left out
	 */
	public Map<String, Long> levels(List<String> skus) {
		return read(skus, this.keys::stock, false);
	}

	/**
	 * Reads the units of several SKUs held by reservations now, as {@link #levels} reads
	 * their stock: a SKU holding none reads 0; one whose key holds something that is not
	 * a level is left out.
	 */
	public Map<String, Long> reserved(List<String> skus) {
		return read(skus, this.keys::reserved, true);
	}

	private Map<String, Long> read(List<String> skus, Function<String, String> keyOf, boolean missingIsZero) {
		// One MGET per hash slot: on a Redis Cluster, keys of different slots cannot be
		// read by one command.
		Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
		skus.forEach((sku) -> bySlot.computeIfAbsent(this.sessions.slot(keyOf.apply(sku)), (slot) -> new ArrayList<>())
			.add(sku));
		Map<String, String> raw = new HashMap<>();
		bySlot.values().forEach((group) -> {
			List<String> keys = group.stream().map(keyOf).toList();
			List<String> values = call(group.get(0), (session) -> session.mget(keys));
			for (int i = 0; i < group.size(); i++) {
				raw.put(group.get(i), values.get(i));
			}
		});
		Map<String, Long> levels = new LinkedHashMap<>();
		for (String sku : skus) {
			String value = raw.get(sku);
			if (value == null) {
				if (missingIsZero) {
					levels.put(sku, 0L);
				}
				continue;
			}
			try {
				levels.put(sku, StockLevel.parse(sku, value));
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
		call(sku, (session) -> session.set(this.keys.stock(sku), Long.toString(level)));
	}

	/**
	 * Adds units to an existing stock, atomically checking that it exists and stays a
	 * level.
	 */
	public Restock restock(String sku, long quantity) {
		if (quantity < 1) {
			throw new IllegalArgumentException("A restock adds at least 1 unit, was " + quantity);
		}
		List<Object> reply = call(sku, (session, deadline) -> RESTOCK.run(session, deadline,
				List.of(this.keys.stock(sku)), List.of(Long.toString(quantity), Long.toString(StockLevel.MAX))));
		return switch (((Long) reply.get(0)).intValue()) {
			case 0 -> new Restock.Restocked((Long) reply.get(1));
			case 1 -> new Restock.UnknownSku();
			case 2 -> throw new CorruptStockException(sku);
			case 3 -> new Restock.WouldPassMaximum((Long) reply.get(1));
			default -> throw new IllegalStateException("Unexpected reply from restock.lua: " + reply);
		};
	}

	/**
	 * @return whether there was a stock key to delete
	 */
	public boolean delete(String sku) {
		Long deleted = call(sku, (session) -> session.del(this.keys.stock(sku)));
		return deleted != null && deleted > 0;
	}

	private <T> T call(String sku, Function<RedisSession, Reply<T>> command) {
		return call(sku, (session, deadline) -> {
			Reply<T> reply = command.apply(session);
			session.send(deadline, reply);
			return reply.value();
		});
	}

	/**
	 * Runs a command on the master of the SKU's stock key within the timeout.
	 * @throws CorruptStockException if the key holds another type
	 * @throws StockUnavailableException if Redis failed or refused, or no connection came
	 * free in time
	 */
	private <T> T call(String sku, BiFunction<RedisSession, Deadline, T> command) {
		Deadline deadline = Deadline.after(this.timeout);
		try {
			AttemptLoop.Decided<Answer<T>> decided = this.loop.run(this.keys.stock(sku), deadline, ReduceListener.NONE,
					(session, attempt) -> new Answer<>(command.apply(session, deadline)));
			if (decided.decision() == null) {
				throw new StockUnavailableException((decided.attempts() == 0) ? "No Redis connection came free in time"
						: "Redis kept redirecting the command", null);
			}
			return decided.decision().value();
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.translate(sku, ex);
		}
	}

	/** A command's reply, which may itself be {@code null} (a missing key). */
	private record Answer<T>(T value) {
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
