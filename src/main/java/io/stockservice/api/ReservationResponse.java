package io.stockservice.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stockservice.stock.Reservation;

/**
 * A reservation.
 *
 * @param id its id, for {@code /stock/reservations/{id}}
 * @param state {@code held}, {@code confirmed}, {@code released} or {@code expired}
 * @param items what it holds (or held)
 * @param expiresAt when it expires (or expired), by the clock of Redis
 * @param endedAt when it ended; absent while held
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ReservationResponse(String id, String state, List<Line> items, String expiresAt, String endedAt) {

	static ReservationResponse of(Reservation reservation) {
		return new ReservationResponse(reservation.id(), reservation.state().tag(),
				reservation.items().stream().map((item) -> new Line(item.sku(), item.quantity())).toList(),
				Instant.ofEpochMilli(reservation.expiresAt()).toString(),
				(reservation.endedAt() != null) ? Instant.ofEpochMilli(reservation.endedAt()).toString() : null);
	}

	/**
	 * @param sku the SKU
	 * @param quantity the units held
	 */
	record Line(String sku, long quantity) {
	}

}
