package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the outcome of a keyed claim is kept, so that a retry with the same
 * {@code Idempotency-Key} is answered from it instead of taking stock again.
 * <p>
 * A record is written in the same atomic step as the decrement it describes (inside the
 * MULTI, or by the same Lua script), after every value that step depends on was read and
 * checked, so there is never a decrement without its record nor a record without its
 * decrement. Only definitive answers are recorded: a claim that ran out of retries, met a
 * corrupt value, or whose fate Redis left unknown is not, so its retry runs afresh.
 * <p>
 * A record is {@code kind|attempts|line|line...}, one line {@code sku quantity available}
 * per item in the order the client listed them: kind {@code R} (reduced; available is
 * what the claim left), {@code I} (insufficient; available is what there was, and at
 * least one item asked for more) or {@code N} (unknown SKU; available is {@code -1} for
 * each SKU that had no stock, {@code 0} for the others). {@code reduce.lua} writes and
 * checks exactly this grammar; anything else found under a record's key is corrupt.
 *
 * @param ttl how long a record, and so the client's right to a replay, lasts
 */
public record IdempotencyRecords(Duration ttl) {

	/**
	 * An hour: a record costs Redis about 230 bytes (measured: 213 on 6.2, 229 on 7.0,
	 * with a UUID key), so a service taking 1,000 keyed requests a second keeps about 0.8
	 * GB of them at an hour, against 20 GB at a day; an hour still covers a client's
	 * retries through a failover or a restart. Longer windows are a setting, and a memory
	 * budget of rate × TTL × 230 bytes.
	 */
	public static final Duration DEFAULT_TTL = Duration.ofHours(1);

	private static final Pattern RECORD = Pattern.compile("([RIN])\\|([1-9][0-9]{0,5})((?:\\|[^|]+){1,100})");

	private static final Pattern LINE = Pattern
		.compile("(" + Sku.PATTERN + ") ([1-9][0-9]{0,15}) (0|[1-9][0-9]{0,15}|-1)");

	public IdempotencyRecords {
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("The record TTL must be at least 1 ms, was " + ttl);
		}
	}

	public static IdempotencyRecords defaults() {
		return new IdempotencyRecords(DEFAULT_TTL);
	}

	/** The record of a granted claim: what each item took and left. */
	static String reduced(List<ReduceOutcome.Line> lines, int attempts) {
		StringBuilder record = new StringBuilder("R|").append(attempts);
		lines.forEach((line) -> line(record, line.sku(), line.reduced(), line.available()));
		return record.toString();
	}

	/** The record of a claim that did not fit, with the level each of its SKUs had. */
	static String insufficient(Claim claim, List<Long> levels, int attempts) {
		StringBuilder record = new StringBuilder("I|").append(attempts);
		for (int i = 0; i < claim.items().size(); i++) {
			Item item = claim.items().get(i);
			line(record, item.sku(), item.quantity(), levels.get(i));
		}
		return record.toString();
	}

	/** The record of a claim naming SKUs without stock ({@code null} levels). */
	static String unknown(Claim claim, List<Long> levels, int attempts) {
		StringBuilder record = new StringBuilder("N|").append(attempts);
		for (int i = 0; i < claim.items().size(); i++) {
			Item item = claim.items().get(i);
			line(record, item.sku(), item.quantity(), (levels.get(i) != null) ? 0 : -1);
		}
		return record.toString();
	}

	private static void line(StringBuilder record, String sku, long quantity, long available) {
		record.append('|').append(sku).append(' ').append(quantity).append(' ').append(available);
	}

	/**
	 * Reads what was found under a record's key.
	 * @param value the value, as Redis returned it
	 * @param anchorSku the SKU in whose slot the key lies: a record there always lists it
	 * as its smallest SKU
	 * @return the record, or {@code null} if the value is not a record this service could
	 * have written there
	 */
	static Decoded decode(String value, String anchorSku) {
		if (value == null || value.length() > 10_000) {
			return null;
		}
		Matcher record = RECORD.matcher(value);
		if (!record.matches()) {
			return null;
		}
		char kind = record.group(1).charAt(0);
		int attempts = Integer.parseInt(record.group(2));
		List<Line> lines = new ArrayList<>();
		Set<String> skus = new HashSet<>();
		for (String text : record.group(3).substring(1).split("\\|")) {
			Matcher line = LINE.matcher(text);
			if (!line.matches() || !skus.add(line.group(1))) {
				return null;
			}
			lines.add(new Line(line.group(1), Long.parseLong(line.group(2)), Long.parseLong(line.group(3))));
		}
		String smallest = lines.stream().map(Line::sku).min(String::compareTo).orElseThrow();
		if (!smallest.equals(anchorSku) || !consistent(kind, lines)) {
			return null;
		}
		return new Decoded(kind, attempts, lines);
	}

	private static boolean consistent(char kind, List<Line> lines) {
		return switch (kind) {
			case 'R' -> lines.stream().allMatch((line) -> line.available() >= 0);
			case 'I' -> lines.stream().allMatch((line) -> line.available() >= 0)
					&& lines.stream().anyMatch((line) -> line.quantity() > line.available());
			default -> lines.stream().anyMatch((line) -> line.available() < 0);
		};
	}

	/** One item of a record. */
	record Line(String sku, long quantity, long available) {
	}

	/** A record read back: the outcome it holds, and the request it was written for. */
	record Decoded(char kind, int attempts, List<Line> lines) {

		/** Whether it was written for this claim: the same items, in the same order. */
		boolean sameRequest(Claim claim) {
			if (claim.items().size() != this.lines.size()) {
				return false;
			}
			for (int i = 0; i < this.lines.size(); i++) {
				Item item = claim.items().get(i);
				Line line = this.lines.get(i);
				if (!item.sku().equals(line.sku()) || item.quantity() != line.quantity()) {
					return false;
				}
			}
			return true;
		}

		/** The outcome as the claim that wrote the record received it. */
		ReduceOutcome outcome() {
			return switch (this.kind) {
				case 'R' -> new ReduceOutcome.Reduced(this.lines.stream()
					.map((line) -> new ReduceOutcome.Line(line.sku(), line.quantity(), line.available()))
					.toList(), this.attempts);
				case 'I' -> new ReduceOutcome.Insufficient(this.lines.stream()
					.filter((line) -> line.quantity() > line.available())
					.map((line) -> new ReduceOutcome.Shortage(line.sku(), line.quantity(), line.available()))
					.toList(), this.attempts);
				default -> new ReduceOutcome.UnknownSku(
						this.lines.stream().filter((line) -> line.available() < 0).findFirst().orElseThrow().sku(),
						this.attempts);
			};
		}

	}

}
