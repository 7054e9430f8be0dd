package io.stockservice.stock;

import java.util.List;

/**
 * A reservation as a client sees it: its anchor hold's state.
 *
 * @param id its id
 * @param state where it stands
 * @param items what it holds (or held), in the client's order
 * @param expiresAt when it expires (or expired), in milliseconds since the epoch
 * @param endedAt when it ended, or {@code null} while held
 */
public record Reservation(String id, HoldState state, List<Item> items, long expiresAt, Long endedAt) {

	public Reservation {
		items = List.copyOf(items);
	}

	static Reservation of(String id, Hold anchor) {
		return new Reservation(id, anchor.state(), anchor.order(), anchor.expiresAt(), anchor.endedAt());
	}

}
