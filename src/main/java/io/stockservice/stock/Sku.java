package io.stockservice.stock;

import java.util.regex.Pattern;

/**
 * What a SKU may be: 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}. The set keeps
 * keys readable in {@code redis-cli}, free of glob characters ({@code * ? [}), of the
 * separators of an idempotency record ({@code |} and space), and of the braces of a Redis
 * Cluster hash tag: every key the service keeps for a SKU, besides its stock key, names
 * the stock key in braces, so it hashes to the stock key's slot; a SKU with braces could
 * move its own stock key out of that slot.
 */
public final class Sku {

	/** The rule as a regular expression, for validation annotations. */
	public static final String PATTERN = "[A-Za-z0-9._:-]{1,64}";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private Sku() {
	}

	public static boolean isValid(String sku) {
		return sku != null && VALID.matcher(sku).matches();
	}

}
