package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the outcome of a reservation request with an {@code Idempotency-Key} is kept
 * ({@link StockKeys#reservationRecord}), so that its retry gets the same answer and holds
 * nothing more. Lines are {@code sku quantity available}, one per item in the client's
 * order, as in {@link IdempotencyRecords}:
 * <ul>
 * <li>{@code H|ttl|expiresAt|id|lines}: held; available is what the hold left. Written in
 * the same atomic step as the (anchor) hold.</li>
 * <li>{@code I|ttl|lines}: insufficient; available is what there was.</li>
 * <li>{@code N|ttl|lines}: unknown SKU; available is -1 for each SKU without stock.</li>
 * </ul>
 * {@code ttl} (milliseconds) is part of the request: the same items held for another time
 * are another request.
 */
final class ReservationRecords {

	private static final Pattern RECORD = Pattern
		.compile("(H)\\|([1-9][0-9]{0,12})\\|([0-9]{1,16})\\|([^|]+)((?:\\|[^|]+){1,100})"
				+ "|([IN])\\|([1-9][0-9]{0,12})((?:\\|[^|]+){1,100})");

	private static final Pattern LINE = Pattern
		.compile("(" + Sku.PATTERN + ") ([1-9][0-9]{0,15}) (0|[1-9][0-9]{0,15}|-1)");

	private ReservationRecords() {
	}

	/**
	 * The record a hold writes, {@code #k} standing for what its k-th own item leaves.
	 * @param order every item of the reservation, in the client's order
	 * @param own the items of the part that writes it
	 * @param others what each item of other parts left, by SKU
	 */
	static String held(Duration ttl, long expiresAt, String id, List<Item> order, List<Item> own,
			java.util.Map<String, Long> others) {
		StringBuilder record = new StringBuilder("H|").append(ttl.toMillis())
			.append('|')
			.append(expiresAt)
			.append('|')
			.append(id);
		lines(record, order, own, others);
		return record.toString();
	}

	static void lines(StringBuilder record, List<Item> order, List<Item> own, java.util.Map<String, Long> others) {
		for (Item item : order) {
			int index = own.indexOf(item);
			record.append('|').append(item.sku()).append(' ').append(item.quantity()).append(' ');
			record.append((index >= 0) ? "#" + (index + 1) : Long.toString(others.get(item.sku())));
		}
	}

	/** The record of a refusal, from each item's level ({@code null}: no stock). */
	static String refused(Duration ttl, List<Item> order, List<Long> levels) {
		boolean unknown = levels.contains(null);
		StringBuilder record = new StringBuilder(unknown ? "N|" : "I|").append(ttl.toMillis());
		for (int i = 0; i < order.size(); i++) {
			Long level = levels.get(i);
			record.append('|').append(order.get(i).sku()).append(' ').append(order.get(i).quantity()).append(' ');
			record.append(unknown ? ((level == null) ? "-1" : "0") : Long.toString(level));
		}
		return record.toString();
	}

	/**
	 * @param anchorSku the SKU in whose slot the record lies: a record there always lists
	 * it as its smallest SKU
	 * @return the record, or {@code null} if the value is no record of ours
	 */
	static Decoded decode(String value, String anchorSku) {
		if (value == null || value.length() > 10_000) {
			return null;
		}
		Matcher record = RECORD.matcher(value);
		if (!record.matches()) {
			return null;
		}
		boolean held = record.group(1) != null;
		String lineText = held ? record.group(5) : record.group(8);
		List<IdempotencyRecords.Line> lines = new ArrayList<>();
		Set<String> skus = new HashSet<>();
		for (String text : lineText.substring(1).split("\\|")) {
			Matcher line = LINE.matcher(text);
			if (!line.matches() || !skus.add(line.group(1))) {
				return null;
			}
			lines.add(new IdempotencyRecords.Line(line.group(1), Long.parseLong(line.group(2)),
					Long.parseLong(line.group(3))));
		}
		String smallest = lines.stream().map(IdempotencyRecords.Line::sku).min(String::compareTo).orElseThrow();
		if (!smallest.equals(anchorSku)) {
			return null;
		}
		if (held) {
			String id = record.group(4);
			if (!anchorSku.equals(ReservationId.parse(id))) {
				return null;
			}
			return new Decoded('H', Long.parseLong(record.group(2)), Long.parseLong(record.group(3)), id, lines);
		}
		char kind = record.group(6).charAt(0);
		boolean unknown = lines.stream().anyMatch((line) -> line.available() < 0);
		boolean short_ = lines.stream().anyMatch((line) -> line.quantity() > line.available());
		if ((kind == 'N') != unknown || (kind == 'I' && !short_)) {
			return null;
		}
		return new Decoded(kind, Long.parseLong(record.group(7)), 0, null, lines);
	}

	/** A record read back. */
	record Decoded(char kind, long ttlMillis, long expiresAt, String id, List<IdempotencyRecords.Line> lines) {

		/** Whether it was written for this request: the same items, order and TTL. */
		boolean sameRequest(List<Item> items, Duration ttl) {
			if (ttl.toMillis() != this.ttlMillis || items.size() != this.lines.size()) {
				return false;
			}
			for (int i = 0; i < items.size(); i++) {
				if (!items.get(i).sku().equals(this.lines.get(i).sku())
						|| items.get(i).quantity() != this.lines.get(i).quantity()) {
					return false;
				}
			}
			return true;
		}

		/** The refusal it holds ({@code I} or {@code N}). */
		ReduceOutcome refusal() {
			if (this.kind == 'N') {
				return new ReduceOutcome.UnknownSku(
						this.lines.stream().filter((line) -> line.available() < 0).findFirst().orElseThrow().sku(), 1);
			}
			return new ReduceOutcome.Insufficient(this.lines.stream()
				.filter((line) -> line.quantity() > line.available())
				.map((line) -> new ReduceOutcome.Shortage(line.sku(), line.quantity(), line.available()))
				.toList(), 1);
		}

	}

}
