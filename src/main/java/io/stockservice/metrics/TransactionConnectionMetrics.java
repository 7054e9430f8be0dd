package io.stockservice.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stockservice.redis.TransactionConnections;

/**
 * The health of the service's connections to Redis, read from the transaction pool that
 * every reduction and stock-level call goes through (no extra Redis traffic):
 * <ul>
 * <li>{@code stock.redis.connections{state=leased|idle}}: in use by a request, or open
 * and waiting;</li>
 * <li>{@code stock.redis.connections.max}: the pool's bound; leased connections at the
 * bound mean requests queue for a connection;</li>
 * <li>{@code stock.redis.connections.opened} and {@code .closed}: counters; connections
 * are closed only when Redis failed or timed out on them, so a rising rate of closes is
 * Redis trouble.</li>
 * </ul>
 */
public final class TransactionConnectionMetrics implements MeterBinder {

	private final TransactionConnections connections;

	public TransactionConnectionMetrics(TransactionConnections connections) {
		this.connections = connections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("stock.redis.connections", this.connections, TransactionConnections::leased)
			.description("Transaction connections to Redis, by state")
			.tag("state", "leased")
			.register(registry);
		Gauge.builder("stock.redis.connections", this.connections, TransactionConnections::idle)
			.description("Transaction connections to Redis, by state")
			.tag("state", "idle")
			.register(registry);
		Gauge.builder("stock.redis.connections.max", this.connections, TransactionConnections::maxConnections)
			.description("The most transaction connections to Redis open at once (stock.redis.max-connections)")
			.register(registry);
		FunctionCounter.builder("stock.redis.connections.opened", this.connections, TransactionConnections::opened)
			.description("Transaction connections to Redis opened")
			.register(registry);
		FunctionCounter.builder("stock.redis.connections.closed", this.connections, TransactionConnections::closed)
			.description("Transaction connections to Redis closed because Redis failed or timed out on them")
			.register(registry);
	}

}
