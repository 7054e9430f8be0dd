package io.stockservice.api;

import java.util.List;

import io.stockservice.stock.Claim;
import io.stockservice.stock.Item;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockLevels.Restock;
import io.stockservice.stock.StockReducer;
import jakarta.validation.Valid;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The stock API. Input is validated before anything reaches Redis, so a refused request
 * writes nothing; every refusal is a problem+json response built by
 * {@link ProblemAdvice}.
 */
@RestController
@RequestMapping("/stock")
class StockController {

	static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

	private final StockReducer reducer;

	private final StockLevels levels;

	StockController(StockReducer reducer, StockLevels levels) {
		this.reducer = reducer;
		this.levels = levels;
	}

	/**
	 * Takes stock. With an {@code Idempotency-Key}, a retry of a request that was
	 * answered gets the same answer again, marked {@code Idempotent-Replayed: true}, and
	 * takes nothing.
	 */
	@PostMapping("/reduce")
	ResponseEntity<Object> reduce(@RequestHeader HttpHeaders headers, @Valid @RequestBody ReduceRequest request) {
		List<Item> items = request.items("items");
		String idempotencyKey = IdempotencyKeyHeader.from(headers);
		ReduceOutcome outcome = this.reducer.reduce(new Claim(items, idempotencyKey));
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
	StockResponse get(@PathVariable @ValidSku String sku) {
		StockLevels.Stock stock = this.levels.read(sku).orElseThrow(() -> new UnknownSkuException(sku));
		return new StockResponse(sku, stock.available(), stock.reserved());
	}

	@AdminOperation
	@PutMapping("/{sku}")
	StockResponse set(@PathVariable @ValidSku String sku, @Valid @RequestBody StockLevelRequest request) {
		this.levels.set(sku, request.quantity());
		return new StockResponse(sku, request.quantity());
	}

	@AdminOperation
	@PostMapping("/{sku}/restock")
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
	ResponseEntity<Void> delete(@PathVariable @ValidSku String sku) {
		this.levels.delete(sku);
		return ResponseEntity.noContent().build();
	}

}
