package io.stockservice.api;

import java.net.URI;
import java.time.Duration;

import io.stockservice.config.StockProperties;
import io.stockservice.stock.CorruptReservationException;
import io.stockservice.stock.HoldEnding;
import io.stockservice.stock.HoldState;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.ReservationId;
import io.stockservice.stock.ReservationOutcome;
import io.stockservice.stock.Reservations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reservations: hold units for a while, then confirm (sell) or release them, or let them
 * expire. Each ends once; a confirm or release that finds it ended otherwise is a 409
 * naming how it ended.
 */
@RestController
@RequestMapping("/stock/reservations")
@Tag(name = "reservations")
class ReservationController {

	private final Reservations reservations;

	private final Duration defaultTtl;

	ReservationController(Reservations reservations, StockProperties properties) {
		this.reservations = reservations;
		this.defaultTtl = properties.reservations().defaultTtl();
	}

	@PostMapping
	@Operation(summary = "Hold units",
			description = "Moves every item's units from `available` to `reserved` for `ttl` (an ISO-8601 duration "
					+ "from PT1S to PT24H; `stock.reservations.default-ttl` if left out), or none. Unless confirmed or "
					+ "released by then, the hold expires and gives its units back. With an `Idempotency-Key`, a retry "
					+ "gets the same answer (201, 404 or 409) with `Idempotent-Replayed: true`.")
	@ApiResponse(responseCode = "201", description = "The units are held; `Location` names the reservation")
	@ProblemResponses({ ProblemType.UNKNOWN_SKU, ProblemType.INSUFFICIENT_STOCK, ProblemType.IDEMPOTENCY_KEY_REUSED,
			ProblemType.CONTENTION, ProblemType.REDIS_UNAVAILABLE, ProblemType.CORRUPT_STOCK,
			ProblemType.CORRUPT_IDEMPOTENCY_RECORD })
	@Parameter(in = ParameterIn.HEADER, name = IdempotencyKeyHeader.NAME,
			description = "Unique per logical request, sent once: its outcome is kept for `stock.idempotency.ttl` "
					+ "and replayed to its retries (keys of reservations and of reductions are apart)",
			schema = @Schema(type = "string", pattern = "[!-~]{1,255}"))
	ResponseEntity<ReservationResponse> create(@Parameter(hidden = true) @RequestHeader HttpHeaders headers,
			@Valid @RequestBody ReservationRequest request) {
		ReservationOutcome outcome = this.reservations.create(request.checkedItems(), request.ttlOr(this.defaultTtl),
				IdempotencyKeyHeader.from(headers));
		if (outcome instanceof ReservationOutcome.Held held) {
			return ResponseEntity.status(HttpStatus.CREATED)
				.location(URI.create("/stock/reservations/" + held.reservation().id()))
				.headers((response) -> StockController.markReplay(response, held.replayed()))
				.body(ReservationResponse.of(held.reservation()));
		}
		ReservationOutcome.Refused refused = (ReservationOutcome.Refused) outcome;
		throw new ReduceRefusedException(refused.why(), refused.replayed(), true);
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read a reservation",
			description = "Its state: held, confirmed, released or expired (kept for "
					+ "`stock.reservations.retention` after it ends).")
	@ProblemResponses({ ProblemType.UNKNOWN_RESERVATION, ProblemType.REDIS_UNAVAILABLE,
			ProblemType.CORRUPT_RESERVATION })
	ReservationResponse get(@PathVariable String id) {
		return this.reservations.get(checked(id))
			.map(ReservationResponse::of)
			.orElseThrow(() -> new UnknownReservationException(id));
	}

	/** Sells the units. Again: the same answer. */
	@PostMapping("/{id}/confirm")
	@Operation(summary = "Confirm a reservation",
			description = "Sells its units for good. Again: 200 again. After a release: 409 reservation-released; "
					+ "after its time ran out: 409 reservation-expired.")
	@ProblemResponses({ ProblemType.UNKNOWN_RESERVATION, ProblemType.RESERVATION_RELEASED,
			ProblemType.RESERVATION_EXPIRED, ProblemType.CONTENTION, ProblemType.REDIS_UNAVAILABLE,
			ProblemType.CORRUPT_STOCK, ProblemType.CORRUPT_RESERVATION })
	ReservationResponse confirm(@PathVariable String id) {
		return ended(id, this.reservations.confirm(checked(id)), HoldState.CONFIRMED);
	}

	/** Gives the units back. Again: the same answer. */
	@DeleteMapping("/{id}")
	@Operation(summary = "Release a reservation",
			description = "Gives its units back to `available`. Again: 200 again. After a confirm: 409 "
					+ "reservation-confirmed; after its time ran out: 409 reservation-expired.")
	@ProblemResponses({ ProblemType.UNKNOWN_RESERVATION, ProblemType.RESERVATION_CONFIRMED,
			ProblemType.RESERVATION_EXPIRED, ProblemType.CONTENTION, ProblemType.REDIS_UNAVAILABLE,
			ProblemType.CORRUPT_STOCK, ProblemType.CORRUPT_RESERVATION })
	ReservationResponse release(@PathVariable String id) {
		return ended(id, this.reservations.release(checked(id)), HoldState.RELEASED);
	}

	private static ReservationResponse ended(String id, HoldEnding ending, HoldState wanted) {
		if (ending instanceof HoldEnding.Ended ended) {
			if (ended.reservation().state() != wanted) {
				throw new ReservationEndedException(ended.reservation());
			}
			return ReservationResponse.of(ended.reservation());
		}
		if (ending instanceof HoldEnding.CorruptStock corrupt) {
			throw new ReduceRefusedException(new ReduceOutcome.CorruptStock(corrupt.sku(), 0), false);
		}
		if (ending instanceof HoldEnding.Contention contention) {
			throw new ReservationBusyException(id, contention.attempts());
		}
		if (ending instanceof HoldEnding.Unreadable) {
			throw new CorruptReservationException(id);
		}
		throw new UnknownReservationException(id);
	}

	/**
	 * @throws InvalidFieldException if the id is not one this service gives out: no
	 * reservation could have it
	 */
	private static String checked(String id) {
		if (ReservationId.parse(id) == null) {
			throw new InvalidFieldException("id", "is not a reservation id");
		}
		return id;
	}

}
