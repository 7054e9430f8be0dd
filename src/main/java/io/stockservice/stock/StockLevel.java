package io.stockservice.stock;

import java.util.regex.Pattern;

/**
 * The values a stock key may hold: a canonical non-negative integer no larger than 2^53.
 * <p>
 * 2^53 is the largest integer a Lua number (a double) holds exactly, so the Lua strategy
 * and the WATCH strategy agree on every level the service can store. Leading zeros, signs
 * and spaces are refused because Redis's own INCRBY/DECRBY refuse them too.
 */
public final class StockLevel {

	/** 2^53: the largest stock level the service stores or accepts. */
	public static final long MAX = 1L << 53;

	private static final Pattern CANONICAL = Pattern.compile("0|[1-9][0-9]{0,15}");

	private StockLevel() {
	}

	/**
	 * Reads the raw value of a stock key.
	 * @param sku the SKU the value belongs to, for the error
	 * @param raw the value Redis returned, never {@code null}
	 * @return the stock level
	 * @throws CorruptStockException if the value is not a stock level
	 */
	public static long parse(String sku, String raw) {
		if (!CANONICAL.matcher(raw).matches()) {
			throw new CorruptStockException(sku);
		}
		long level = Long.parseLong(raw);
		if (level > MAX) {
			throw new CorruptStockException(sku);
		}
		return level;
	}

}
