package io.stockservice.stock;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reservation's id: 26 characters of random base32 (130 bits: no two reservations ever
 * share one), a dot, and the reservation's anchor SKU (its smallest), e.g.
 * {@code k3j5q7yq2c6xwqz4b2vtr2f7ma.count}. Every call about a reservation finds its keys
 * from the id alone, with no index to keep: its anchor hold lies in the anchor SKU's hash
 * slot. SKU characters are safe in a URL path.
 */
public final class ReservationId {

	private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

	private static final int RANDOM_CHARS = 26;

	private static final Pattern ID = Pattern.compile("[a-z2-7]{" + RANDOM_CHARS + "}\\.(" + Sku.PATTERN + ")");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ReservationId() {
	}

	/** A fresh id for a reservation anchored at the SKU. */
	static String next(String anchorSku) {
		char[] random = new char[RANDOM_CHARS];
		for (int i = 0; i < RANDOM_CHARS; i++) {
			random[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return new String(random) + "." + anchorSku;
	}

	/**
	 * @return the anchor SKU the id names, or {@code null} if it is no id of ours
	 */
	public static String parse(String id) {
		if (id == null || id.length() > 200) {
			return null;
		}
		Matcher match = ID.matcher(id);
		return match.matches() ? match.group(1) : null;
	}

}
