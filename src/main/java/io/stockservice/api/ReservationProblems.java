package io.stockservice.api;

import io.stockservice.stock.Reservation;
import io.stockservice.stock.ReservationId;

import org.springframework.http.ProblemDetail;

/** The problem bodies of the reservation calls, for {@link ProblemAdvice}. */
final class ReservationProblems {

	private ReservationProblems() {
	}

	static ProblemDetail unknown(String id) {
		ProblemDetail problem = Problems.of(ProblemType.UNKNOWN_RESERVATION,
				"There is no reservation " + id + " (or it ended longer ago than it is kept)");
		problem.setProperty("id", id);
		return problem;
	}

	/** A confirm or release that found the reservation ended otherwise. */
	static ProblemDetail ended(Reservation reservation) {
		ProblemType type = switch (reservation.state()) {
			case CONFIRMED -> ProblemType.RESERVATION_CONFIRMED;
			case RELEASED -> ProblemType.RESERVATION_RELEASED;
			default -> ProblemType.RESERVATION_EXPIRED;
		};
		ProblemDetail problem = Problems.of(type,
				"Reservation " + reservation.id() + " is " + reservation.state().tag() + " already; nothing changed");
		problem.setProperty("id", reservation.id());
		problem.setProperty("state", reservation.state().tag());
		return problem;
	}

	/**
	 * Every attempt to move the reservation lost its race: a {@code contention} problem,
	 * naming the reservation's anchor SKU as its {@code sku}.
	 */
	static ProblemDetail busy(String id, int attempts) {
		ProblemDetail problem = Problems.of(ProblemType.CONTENTION,
				"Other clients kept changing the stock of reservation " + id + "; nothing changed. Try again later");
		problem.setProperty("sku", ReservationId.parse(id));
		problem.setProperty("attempts", attempts);
		return problem;
	}

	static ProblemDetail corrupt(String id) {
		ProblemDetail problem = Problems.of(ProblemType.CORRUPT_RESERVATION, "The hold of reservation " + id
				+ " in Redis is not one this service wrote. It was left untouched; an operator must look at it");
		problem.setProperty("id", id);
		return problem;
	}

}
