package io.stockservice.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stockservice.stock.Outcome;
import io.stockservice.stock.ReduceListener;

/**
 * One meter family per question an operator asks, tagged only with bounded values (never
 * a SKU):
 * <ul>
 * <li>{@code stock.reduce.requests{outcome,strategy}}: how reductions end;</li>
 * <li>{@code stock.reduce.conflicts{strategy}}: aborted EXECs, each one a retry or a
 * give-up;</li>
 * <li>{@code stock.reduce.attempts{strategy}}: transactions per request, as a
 * histogram;</li>
 * <li>{@code stock.reduce.duration{strategy}}: time per request, as a histogram;</li>
 * <li>{@code stock.reduce.batch.size{strategy}}: requests per combined transaction;</li>
 * <li>{@code stock.reduce.orders{outcome,strategy}}: reductions of several SKUs (orders),
 * also counted among the requests, and {@code stock.reduce.order.items{strategy}}: the
 * SKUs per order.</li>
 * </ul>
 * Every outcome's counter is registered up front, so that a rate over it is 0 rather than
 * absent.
 */
public final class ReduceMetrics implements ReduceListener {

	private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);

	private final Counter conflicts;

	private final DistributionSummary attempts;

	private final Timer duration;

	private final DistributionSummary batchSize;

	private final Map<Outcome, Counter> orders = new EnumMap<>(Outcome.class);

	private final DistributionSummary orderItems;

	public ReduceMetrics(MeterRegistry registry, String strategy) {
		for (Outcome outcome : Outcome.values()) {
			this.requests.put(outcome,
					Counter.builder("stock.reduce.requests")
						.description("Stock reductions by how they ended")
						.tag("outcome", outcome.tag())
						.tag("strategy", strategy)
						.register(registry));
		}
		this.conflicts = Counter.builder("stock.reduce.conflicts")
			.description("Transactions aborted because another client changed the stock first")
			.tag("strategy", strategy)
			.register(registry);
		this.attempts = DistributionSummary.builder("stock.reduce.attempts")
			.description("Transactions one reduction took")
			.tag("strategy", strategy)
			.serviceLevelObjectives(1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 50, 64, 100)
			.register(registry);
		this.duration = Timer.builder("stock.reduce.duration")
			.description("Time to answer one reduction, waiting and retries included")
			.tag("strategy", strategy)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
		for (Outcome outcome : Outcome.values()) {
			this.orders.put(outcome,
					Counter.builder("stock.reduce.orders")
						.description("Reductions of several SKUs at once (orders) by how they ended")
						.tag("outcome", outcome.tag())
						.tag("strategy", strategy)
						.register(registry));
		}
		this.orderItems = DistributionSummary.builder("stock.reduce.order.items")
			.description("SKUs one order listed")
			.tag("strategy", strategy)
			.serviceLevelObjectives(2, 3, 4, 5, 10, 20, 50, 100)
			.register(registry);
		this.batchSize = DistributionSummary.builder("stock.reduce.batch.size")
			.description("Requests one combined transaction served")
			.tag("strategy", strategy)
			.serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
			.register(registry);
	}

	@Override
	public void combined(int claims) {
		this.batchSize.record(claims);
	}

	@Override
	public void conflicted() {
		this.conflicts.increment();
	}

	@Override
	public void finished(Outcome outcome, int attempts, Duration elapsed) {
		this.requests.get(outcome).increment();
		this.attempts.record(attempts);
		this.duration.record(elapsed);
	}

	@Override
	public void ordered(Outcome outcome, int items) {
		this.orders.get(outcome).increment();
		this.orderItems.record(items);
	}

	@Override
	public void failed(Outcome outcome, Duration elapsed) {
		this.requests.get(outcome).increment();
		this.duration.record(elapsed);
	}

}
