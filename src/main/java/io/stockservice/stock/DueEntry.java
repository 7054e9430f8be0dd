package io.stockservice.stock;

import java.util.List;

/**
 * What the list of holds due says of a reservation: its id (which names its anchor SKU)
 * and the anchor SKUs of its other parts, if any, as {@code id} or {@code id|sku,sku}.
 * The other parts must be listed here, not only in the anchor's hash: the anchor part is
 * created last, so an instance that died before making it leaves parts that only this
 * entry knows of.
 *
 * @param reservationId the reservation's id
 * @param otherParts the anchor SKUs of its parts other than the anchor part
 */
record DueEntry(String reservationId, List<String> otherParts) {

	DueEntry {
		otherParts = List.copyOf(otherParts);
	}

	String text() {
		return this.otherParts.isEmpty() ? this.reservationId
				: this.reservationId + "|" + String.join(",", this.otherParts);
	}

	/**
	 * @return the entry, or {@code null} if the text is no entry of ours
	 */
	static DueEntry parse(String text) {
		int bar = text.indexOf('|');
		String id = (bar < 0) ? text : text.substring(0, bar);
		if (ReservationId.parse(id) == null) {
			return null;
		}
		List<String> parts = (bar < 0) ? List.of() : List.of(text.substring(bar + 1).split(",", -1));
		return parts.stream().allMatch(Sku::isValid) ? new DueEntry(id, parts) : null;
	}

}
