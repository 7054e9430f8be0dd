package io.stockservice.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.stockservice.stock.Claim;
import io.stockservice.stock.Item;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /stock/reservations}: hold every item, or none, for {@code ttl}.
 *
 * @param items the items, each SKU once
 * @param ttl how long to hold them, an ISO-8601 duration ({@code PT5M}); the configured
 * default if absent
 */
record ReservationRequest(
		@NotNull(message = "is required") @Size(min = 1, max = Claim.MAX_ITEMS,
				message = "must list 1 to " + Claim.MAX_ITEMS + " items") List<@NotNull @Valid ItemRequest> items,
		String ttl) {

	static final Duration MIN_TTL = Duration.ofSeconds(1);

	static final Duration MAX_TTL = Duration.ofHours(24);

	List<Item> checkedItems() {
		return ItemRequest.items(this.items, "items");
	}

	/**
	 * @throws InvalidFieldException if the TTL is not an ISO-8601 duration from 1 s to 24
	 * h
	 */
	Duration ttlOr(Duration fallback) {
		if (this.ttl == null) {
			return fallback;
		}
		Duration parsed;
		try {
			parsed = Duration.parse(this.ttl);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidFieldException("ttl", "must be an ISO-8601 duration such as PT5M");
		}
		if (parsed.compareTo(MIN_TTL) < 0 || parsed.compareTo(MAX_TTL) > 0) {
			throw new InvalidFieldException("ttl", "must be from PT1S to PT24H");
		}
		return parsed;
	}

}
