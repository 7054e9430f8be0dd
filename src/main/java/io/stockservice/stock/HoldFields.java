package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a {@link Hold} is kept in its hash: {@code state}, {@code expiresAt} and
 * {@code endedAt} (milliseconds), {@code items} and, on the anchor of a reservation of
 * several parts, {@code order} and {@code parts}. Items are {@code sku quantity|...}
 * (neither character can be in a SKU), parts {@code sku,sku}. {@code hold-create.lua} and
 * {@code hold-move.lua} write and read exactly this.
 */
final class HoldFields {

	static final String STATE = "state";

	static final String EXPIRES_AT = "expiresAt";

	static final String ENDED_AT = "endedAt";

	static final String ITEMS = "items";

	static final String ORDER = "order";

	static final String PARTS = "parts";

	private static final Pattern ITEM = Pattern.compile("(" + Sku.PATTERN + ") ([1-9][0-9]{0,15})");

	private static final Pattern MILLIS = Pattern.compile("0|[1-9][0-9]{0,15}");

	private HoldFields() {
	}

	static String items(List<Item> items) {
		StringBuilder text = new StringBuilder();
		for (Item item : items) {
			text.append((text.length() > 0) ? "|" : "").append(item.sku()).append(' ').append(item.quantity());
		}
		return text.toString();
	}

	/** The fields a multi-part reservation's anchor adds to its hash. */
	static Map<String, String> anchorOf(List<Item> order, List<String> parts) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(ORDER, items(order));
		fields.put(PARTS, String.join(",", parts));
		return fields;
	}

	/**
	 * @return the hold, or {@code null} if the fields are not a hold this service wrote
	 * (a void hold has no items)
	 */
	static Hold decode(Map<String, String> fields) {
		HoldState state = HoldState.of(fields.get(STATE));
		Long expiresAt = millis(fields.get(EXPIRES_AT));
		if (state == null || expiresAt == null) {
			return null;
		}
		Long endedAt = millis(fields.get(ENDED_AT));
		if (state.ended() != (endedAt != null)) {
			return null;
		}
		List<Item> items = parseItems(fields.getOrDefault(ITEMS, ""), state == HoldState.VOID);
		List<Item> order = fields.containsKey(ORDER) ? parseItems(fields.get(ORDER), false) : items;
		List<String> parts = parts(fields.get(PARTS));
		if (items == null || order == null || parts == null) {
			return null;
		}
		return new Hold(state, expiresAt, items, order, parts, endedAt);
	}

	/** The fields as one flat list, field then value, as HGETALL answers in a script. */
	static Map<String, String> fromFlat(List<?> flat, int from) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = from; i + 1 < flat.size(); i += 2) {
			fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
		}
		return fields;
	}

	private static List<Item> parseItems(String text, boolean mayBeEmpty) {
		if (text == null) {
			return null;
		}
		if (text.isEmpty()) {
			return mayBeEmpty ? List.of() : null;
		}
		List<Item> items = new ArrayList<>();
		for (String entry : text.split("\\|", -1)) {
			var match = ITEM.matcher(entry);
			if (!match.matches()) {
				return null;
			}
			long quantity = Long.parseLong(match.group(2));
			if (quantity > StockLevel.MAX) {
				return null;
			}
			items.add(new Item(match.group(1), quantity));
		}
		return items;
	}

	private static List<String> parts(String text) {
		if (text == null || text.isEmpty()) {
			return List.of();
		}
		List<String> parts = List.of(text.split(",", -1));
		return parts.stream().allMatch(Sku::isValid) ? parts : null;
	}

	private static Long millis(String text) {
		return (text != null && MILLIS.matcher(text).matches()) ? Long.parseLong(text) : null;
	}

}
