package io.stockservice.tracing;

import java.util.function.Function;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.stockservice.stock.Claim;
import io.stockservice.stock.Item;
import io.stockservice.stock.ReduceOutcome;

/**
 * A span per reduction, {@code stock.reduce}, in the trace of the request that asked for
 * it: its SKU, quantity and strategy, how it ended, and the transactions that served it,
 * one {@code attempt} event each and a {@code conflict} event for each aborted EXEC, so
 * that one slow checkout is explained by its own retries.
 * <p>
 * The request thread opens the span and hands the algorithm a listener for its claim
 * alone ({@link Claim#heardBy}). With combining, the transaction runs on a combiner
 * thread and serves a batch of claims, where the current span is none of theirs; each
 * claim's listener still hears that batch's transactions, so every request of the batch
 * gets them on its own span, with the batch's size. A span of the transaction linked to
 * each request's span would say the same in two places, and leave a request's own span
 * without its retries.
 */
public final class ReduceTracing {

	static final String SPAN = "stock.reduce";

	private final Tracer tracer;

	private final String strategy;

	public ReduceTracing(Tracer tracer, String strategy) {
		this.tracer = tracer;
		this.strategy = strategy;
	}

	/**
	 * Runs the reduction of the claim in a span of its own, a child of the current one.
	 * @param claim the claim
	 * @param reduction reduces the claim it is given, which carries the span's listener
	 * @return what the reduction returned
	 */
	public ReduceOutcome reduce(Claim claim, Function<Claim, ReduceOutcome> reduction) {
		Span span = this.tracer.nextSpan()
			.name(SPAN)
			.tag("stock.sku", String.join(",", claim.skus()))
			.tag("stock.items", claim.items().size())
			.tag("stock.quantity", claim.items().stream().mapToLong(Item::quantity).sum())
			.tag("stock.strategy", this.strategy)
			.tag("stock.idempotency_key", claim.idempotencyKey() != null)
			.start();
		ClaimSpan transactions = new ClaimSpan(span);
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			ReduceOutcome outcome = reduction.apply(claim.heardBy(transactions));
			span.tag("stock.outcome", outcome.kind().tag());
			return outcome;
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			transactions.tagTotals();
			span.end();
		}
	}

}
