package io.stockservice.stock;

import java.util.List;

/**
 * One part of a reservation as its hash in Redis holds it: the hold on the SKUs of one
 * hash slot. A reservation on one slot (always, outside a Redis Cluster) is one part; its
 * anchor part also says what the whole reservation holds and which other parts it has.
 *
 * @param state where it stands
 * @param expiresAt when it expires, in milliseconds since the epoch by the clock of Redis
 * @param items the units this part holds
 * @param order every item of the reservation in the client's order (the anchor part's;
 * for any other part, its own items)
 * @param parts the anchor SKUs of the reservation's other parts (the anchor part's; empty
 * on one slot and for any other part)
 * @param endedAt when it left {@link HoldState#HELD}, or {@code null} while held
 */
public record Hold(HoldState state, long expiresAt, List<Item> items, List<Item> order, List<String> parts,
		Long endedAt) {

	public Hold {
		items = List.copyOf(items);
		order = List.copyOf(order);
		parts = List.copyOf(parts);
	}

	/** This hold, moved to the state at the given time. */
	Hold movedTo(HoldState state, long now) {
		return new Hold(state, this.expiresAt, this.items, this.order, this.parts, now);
	}

}
