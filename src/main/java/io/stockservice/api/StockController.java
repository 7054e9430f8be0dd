package io.stockservice.api;

import java.util.List;

import io.stockservice.stock.Claim;
import io.stockservice.stock.Item;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockLevels.Restock;
import io.stockservice.stock.StockReducer;
import io.stockservice.tracing.ReduceTracing;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The stock API. Input is validated before anything reaches Redis, so a refused request
 * writes nothing; every refusal is a problem+json response built by
 * {@link ProblemAdvice}.
 */
@RestController
@RequestMapping("/stock")
@Tag(name = "stock")
class StockController {

	static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

	private final StockReducer reducer;

	private final StockLevels levels;

	private final ReduceTracing tracing;

	StockController(StockReducer reducer, StockLevels levels, ReduceTracing tracing) {
		this.reducer = reducer;
		this.levels = levels;
		this.tracing = tracing;
	}

	/**
	 * Takes stock. With an {@code Idempotency-Key}, a retry of a request that was
	 * answered gets the same answer again, marked {@code Idempotent-Replayed: true}, and
	 * takes nothing.
	 */
	@PostMapping("/reduce")
	@Operation(summary = "Take stock", description = "Takes `quantity` units (1 if left out) of one SKU, or with "
			+ "`items` every item of an order or none, retrying optimistic transactions that other writers beat; never "
			+ "oversells. With an `Idempotency-Key`, a retry of an answered request gets the same answer (200, 404 or "
			+ "409) with `Idempotent-Replayed: true`.")
	@ApiResponse(responseCode = "200", description = "The units were taken: one SKU's answer, or an order's",
			content = @Content(mediaType = "application/json",
					schema = @Schema(oneOf = { ReduceResponse.class, OrderResponse.class })))
	@ProblemResponses({ ProblemType.UNKNOWN_SKU, ProblemType.INSUFFICIENT_STOCK, ProblemType.IDEMPOTENCY_KEY_REUSED,
			ProblemType.CONTENTION, ProblemType.REDIS_UNAVAILABLE, ProblemType.CORRUPT_STOCK,
			ProblemType.CORRUPT_IDEMPOTENCY_RECORD })
	@Parameter(in = ParameterIn.HEADER, name = IdempotencyKeyHeader.NAME,
			description = "Unique per logical request (a UUID will do), sent once: its outcome is kept for "
					+ "`stock.idempotency.ttl` and replayed to its retries",
			schema = @Schema(type = "string", pattern = "[!-~]{1,255}"))
	ResponseEntity<Object> reduce(@Parameter(hidden = true) @RequestHeader HttpHeaders headers,
			@Valid @RequestBody ReduceRequest request) {
		List<Item> items = request.items("items");
		String idempotencyKey = IdempotencyKeyHeader.from(headers);
		ReduceOutcome outcome = this.tracing.reduce(new Claim(items, idempotencyKey), this.reducer::reduce);
		boolean replayed = outcome instanceof ReduceOutcome.Replayed;
		ReduceOutcome answer = replayed ? ((ReduceOutcome.Replayed) outcome).original() : outcome;
		if (answer instanceof ReduceOutcome.Reduced reduced) {
			return ResponseEntity.ok()
				.headers((response) -> markReplay(response, replayed))
				.body(request.order() ? OrderResponse.of(reduced) : new ReduceResponse(reduced.sku(), reduced.reduced(),
						reduced.available(), reduced.attempts()));
		}
		throw new ReduceRefusedException(answer, replayed, request.order());
	}

	static void markReplay(HttpHeaders headers, boolean replayed) {
		if (replayed) {
			headers.set(IDEMPOTENT_REPLAYED, "true");
		}
	}

	/** The stock, and the units of it held by reservations now, read together. */
	@GetMapping("/{sku}")
	@Operation(summary = "Read a stock level")
	@ProblemResponses({ ProblemType.UNKNOWN_SKU, ProblemType.REDIS_UNAVAILABLE, ProblemType.CORRUPT_STOCK })
	StockResponse get(@PathVariable @ValidSku String sku) {
		StockLevels.Stock stock = this.levels.read(sku).orElseThrow(() -> new UnknownSkuException(sku));
		return new StockResponse(sku, stock.available(), stock.reserved());
	}

	@AdminOperation
	@PutMapping("/{sku}")
	@Operation(summary = "Set a stock level",
			description = "Creates the stock, or replaces its level (also a " + "corrupt one).")
	@ProblemResponses(ProblemType.REDIS_UNAVAILABLE)
	StockResponse set(@PathVariable @ValidSku String sku, @Valid @RequestBody StockLevelRequest request) {
		this.levels.set(sku, request.quantity());
		return new StockResponse(sku, request.quantity());
	}

	@AdminOperation
	@PostMapping("/{sku}/restock")
	@Operation(summary = "Add units to an existing stock")
	@ProblemResponses({ ProblemType.UNKNOWN_SKU, ProblemType.REDIS_UNAVAILABLE, ProblemType.CORRUPT_STOCK })
	StockResponse restock(@PathVariable @ValidSku String sku, @Valid @RequestBody RestockRequest request) {
		Restock restock = this.levels.restock(sku, request.quantity());
		if (restock instanceof Restock.Restocked restocked) {
			return new StockResponse(sku, restocked.available());
		}
		if (restock instanceof Restock.WouldPassMaximum full) {
			throw new InvalidFieldException("quantity", "would raise the stock of " + sku + " from " + full.available()
					+ " above the largest stock level, 2^53");
		}
		throw new UnknownSkuException(sku);
	}

	@AdminOperation
	@DeleteMapping("/{sku}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a stock", description = "204 also when there was no stock.")
	@ProblemResponses(ProblemType.REDIS_UNAVAILABLE)
	void delete(@PathVariable @ValidSku String sku) {
		this.levels.delete(sku);
	}

}
