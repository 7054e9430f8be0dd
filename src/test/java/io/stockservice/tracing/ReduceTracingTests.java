package io.stockservice.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.Claim;
import io.stockservice.stock.IdempotencyRecords;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.Replication;
import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.Sleeper;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockReducer;
import io.stockservice.stock.WatchReduceStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each request's {@code stock.reduce} span shows the transactions that served it, on the
 * real algorithm against a real Redis, with Micrometer's in-memory tracer: an
 * {@code attempt} event per transaction, a {@code conflict} event per aborted EXEC
 * (forced by another client writing the stock between WATCH and EXEC), and the totals as
 * tags. With combining, the transaction runs on another thread for a batch of requests,
 * and still each request's span gets its own batch's attempts and conflicts, and no other
 * batch's.
 */
class ReduceTracingTests {

	static final Duration DEADLINE = Duration.ofSeconds(10);

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> otherClient = this.redis.commands();

	final StockKeys keys = StockKeys.defaults();

	final SimpleTracer tracer = new SimpleTracer();

	final ReduceTracing tracing = new ReduceTracing(this.tracer, WatchReduceStrategy.NAME);

	TransactionClient client;

	@BeforeEach
	void seed() {
		this.redis.flush();
		this.otherClient.set("stock:count", "10");
		this.client = TransactionClient.to(this.redis.uri(), 4);
	}

	@AfterEach
	void close() {
		this.client.close();
		this.redis.flush();
	}

	/**
	 * The article's other client: after the first {@code times} WATCHed reads it writes
	 * the stock key (the same value, which still counts as a write), so that EXEC aborts.
	 */
	ReduceListener conflicting(int times, Runnable beforeFirstWrite) {
		AtomicInteger reads = new AtomicInteger();
		return new ReduceListener() {

			@Override
			public void watched(List<String> skus) {
				int read = reads.incrementAndGet();
				if (read == 1) {
					beforeFirstWrite.run();
				}
				if (read <= times) {
					String key = ReduceTracingTests.this.keys.stock(skus.get(0));
					ReduceTracingTests.this.otherClient.set(key, ReduceTracingTests.this.otherClient.get(key));
				}
			}

		};
	}

	StockReducer reducer(ReduceListener listener) {
		WatchReduceStrategy strategy = new WatchReduceStrategy(this.client, this.keys,
				new IdempotencyRecords(Duration.ofMinutes(1)), Replication.none(),
				new RetryPolicy(10, Duration.ofMillis(1), Duration.ofMillis(1)), listener, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
		return new StockReducer(strategy, DEADLINE, listener);
	}

	@Test
	void aReductionThatConflictsShowsEachAttemptAndConflictOnItsSpanInTheRequestsTrace() {
		StockReducer reducer = reducer(conflicting(2, () -> {
		}));
		Span request = this.tracer.nextSpan().name("POST /stock/reduce").start();

		ReduceOutcome outcome;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(request)) {
			outcome = this.tracing.reduce(Claim.of("count", 1), reducer::reduce);
		}
		request.end();

		assertThat(outcome).isEqualTo(new ReduceOutcome.Reduced("count", 1, 9, 3));
		SimpleSpan span = reduceSpan(request);
		assertThat(events(span)).containsExactly("attempt", "watched", "conflict", "attempt", "watched", "conflict",
				"attempt", "watched");
		assertThat(span.getTags()).containsEntry("stock.attempts", "3")
			.containsEntry("stock.conflicts", "2")
			.containsEntry("stock.batch.size", "1")
			.containsEntry("stock.outcome", "success")
			.containsEntry("stock.sku", "count")
			.containsEntry("stock.strategy", "watch");
	}

	@Test
	void withCombiningEachRequestsSpanShowsItsOwnBatchsAttemptsAndConflicts() throws Exception {
		CountDownLatch firstRead = new CountDownLatch(1);
		CountDownLatch othersQueued = new CountDownLatch(1);
		// The first batch's first read waits until two more requests have queued behind
		// it,
		// so that they make the second batch; the first batch then conflicts twice.
		ReduceListener listener = conflicting(2, () -> {
			firstRead.countDown();
			await(othersQueued);
		});
		ManualExecutor combiner = new ManualExecutor();
		StockReducer reducer = reducer(listener).combining(combiner, 256);

		TracedRequest first = new TracedRequest("first", reducer);
		first.start();
		Thread firstBatch = combiner.runNextTaskOnItsOwnThread();
		assertThat(firstRead.await(10, TimeUnit.SECONDS)).isTrue();
		TracedRequest second = new TracedRequest("second", reducer);
		TracedRequest third = new TracedRequest("third", reducer);
		second.start();
		third.start();
		second.awaitQueued();
		third.awaitQueued();
		othersQueued.countDown();
		firstBatch.join(10_000);
		Thread secondBatch = combiner.runNextTaskOnItsOwnThread();
		secondBatch.join(10_000);
		for (TracedRequest request : List.of(first, second, third)) {
			request.join(10_000);
		}

		assertThat(first.outcome.get()).isEqualTo(new ReduceOutcome.Reduced("count", 1, 9, 3));
		assertThat(second.outcome.get().attempts()).isEqualTo(1);
		assertThat(third.outcome.get().attempts()).isEqualTo(1);
		SimpleSpan firstSpan = reduceSpan(first.span);
		assertThat(events(firstSpan)).containsExactly("attempt", "watched", "conflict", "attempt", "watched",
				"conflict", "attempt", "watched");
		assertThat(firstSpan.getTags()).containsEntry("stock.attempts", "3")
			.containsEntry("stock.conflicts", "2")
			.containsEntry("stock.batch.size", "1");
		for (TracedRequest combined : List.of(second, third)) {
			SimpleSpan span = reduceSpan(combined.span);
			assertThat(events(span)).as(combined.getName()).containsExactly("attempt", "watched");
			assertThat(span.getTags()).as(combined.getName())
				.containsEntry("stock.attempts", "1")
				.containsEntry("stock.conflicts", "0")
				.containsEntry("stock.batch.size", "2")
				.containsEntry("stock.outcome", "success");
		}
		assertThat(this.otherClient.get("stock:count")).isEqualTo("7");
	}

	/** The finished {@code stock.reduce} span that is a child of the given span. */
	SimpleSpan reduceSpan(Span parent) {
		List<SimpleSpan> spans = this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName().equals("stock.reduce"))
			.filter((span) -> parent.context().spanId().equals(span.getParentId()))
			.toList();
		assertThat(spans).hasSize(1);
		assertThat(spans.get(0).getTraceId()).isEqualTo(parent.context().traceId());
		assertThat(spans.get(0).getEndTimestamp()).isNotNull();
		return spans.get(0);
	}

	static List<String> events(SimpleSpan span) {
		return span.getEvents().stream().map(Map.Entry::getValue).toList();
	}

	static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A request thread: its own root span, and the reduction in it. */
	final class TracedRequest extends Thread {

		final StockReducer reducer;

		final AtomicReference<ReduceOutcome> outcome = new AtomicReference<>();

		volatile Span span;

		TracedRequest(String name, StockReducer reducer) {
			super(name);
			this.reducer = reducer;
		}

		@Override
		public void run() {
			Tracer tracer = ReduceTracingTests.this.tracer;
			this.span = tracer.nextSpan().name("request " + getName()).start();
			try (Tracer.SpanInScope scope = tracer.withSpan(this.span)) {
				this.outcome.set(ReduceTracingTests.this.tracing.reduce(Claim.of("count", 1), this.reducer::reduce));
			}
			this.span.end();
		}

		/** Waits until the request waits for its answer: its claim is queued. */
		void awaitQueued() throws InterruptedException {
			long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (getState() != State.TIMED_WAITING) {
				assertThat(System.nanoTime()).as("%s queued", getName()).isLessThan(give);
				Thread.sleep(1);
			}
		}

	}

	/**
	 * Runs the combiner's tasks only when the test says so, each on a thread of its own.
	 */
	static final class ManualExecutor implements Executor {

		final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		Thread runNextTaskOnItsOwnThread() throws InterruptedException {
			Runnable task = this.tasks.poll(10, TimeUnit.SECONDS);
			assertThat(task).as("a combined transaction to run").isNotNull();
			Thread thread = new Thread(task, "combiner");
			thread.start();
			return thread;
		}

	}

}
