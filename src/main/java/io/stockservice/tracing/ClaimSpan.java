package io.stockservice.tracing;

import java.util.List;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.tracing.Span;
import io.stockservice.stock.ReduceListener;

/**
 * Writes the transactions that serve one claim onto its request's span: an event when an
 * attempt starts, when its WATCHed read is back, and when its EXEC is aborted, then the
 * totals as tags. Called on the thread that runs the transaction, while the request's
 * thread waits; the totals are read once the claim is answered.
 */
final class ClaimSpan implements ReduceListener {

	static final String ATTEMPT = "attempt";

	static final String WATCHED = "watched";

	static final String CONFLICT = "conflict";

	private final Span span;

	private final AtomicInteger attempts = new AtomicInteger();

	private final AtomicInteger conflicts = new AtomicInteger();

	private final AtomicInteger batch = new AtomicInteger(1);

	ClaimSpan(Span span) {
		this.span = span;
	}

	@Override
	public void attempted() {
		this.attempts.incrementAndGet();
		this.span.event(ATTEMPT);
	}

	@Override
	public void watched(List<String> skus) {
		this.span.event(WATCHED);
	}

	@Override
	public void combined(int claims) {
		this.batch.set(claims);
	}

	@Override
	public void conflicted() {
		this.conflicts.incrementAndGet();
		this.span.event(CONFLICT);
	}

	void tagTotals() {
		this.span.tag("stock.attempts", this.attempts.get());
		this.span.tag("stock.conflicts", this.conflicts.get());
		this.span.tag("stock.batch.size", this.batch.get());
	}

}
