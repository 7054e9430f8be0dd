package io.stockservice.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stockservice.redis.MasterInfo;
import io.stockservice.stock.Replication;

/**
 * What the masters say of themselves ({@link MasterInfo}, one INFO per master per second
 * at most), for the dashboard:
 * <ul>
 * <li>{@code stock.redis.replicas.min}: the fewest replicas any master has connected,
 * beside {@code stock.redis.replicas.required}: below it, sales answer 503;</li>
 * <li>{@code stock.redis.keys{kind=all|expiring}}: keys in Redis, and those with a TTL
 * (idempotency records, ended reservations), counted by Redis itself (INFO keyspace) at
 * no cost, rather than by a SCAN per scrape;</li>
 * <li>{@code stock.redis.eviction.unsafe}: masters whose {@code maxmemory-policy} may
 * evict the service's keys.</li>
 * </ul>
 * Tagged with nothing that grows: the figures are summed or taken at the worst over the
 * masters, whose set changes with every failover.
 */
public final class RedisMasterMetrics implements MeterBinder {

	private final MasterInfo masters;

	private final Replication replication;

	public RedisMasterMetrics(MasterInfo masters, Replication replication) {
		this.masters = masters;
		this.replication = replication;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "stock.redis.replicas.min", "The fewest replicas connected to any Redis master",
				(statuses) -> statuses.stream()
					.filter(MasterInfo.Status::reachable)
					.mapToDouble(MasterInfo.Status::replicas)
					.min()
					.orElse(Double.NaN));
		Gauge.builder("stock.redis.replicas.required", this.replication, Replication::replicas)
			.description("Replicas that must confirm a write before it is acknowledged (stock.redis.replicas-to-ack)")
			.register(registry);
		Gauge.builder("stock.redis.keys", this, (metrics) -> sum(metrics.masters.statuses(), MasterInfo.Status::keys))
			.description("Keys in Redis, summed over its masters")
			.tag("kind", "all")
			.register(registry);
		Gauge
			.builder("stock.redis.keys", this,
					(metrics) -> sum(metrics.masters.statuses(), MasterInfo.Status::keysWithTtl))
			.description("Keys in Redis, summed over its masters")
			.tag("kind", "expiring")
			.register(registry);
		gauge(registry, "stock.redis.eviction.unsafe",
				"Redis masters whose maxmemory-policy may evict the service's keys",
				(statuses) -> statuses.stream().filter(MasterInfo.Status::mayEvict).count());
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<List<MasterInfo.Status>> value) {
		Gauge.builder(name, this, (metrics) -> value.applyAsDouble(metrics.masters.statuses()))
			.description(description)
			.register(registry);
	}

	private static double sum(List<MasterInfo.Status> statuses, ToDoubleFunction<MasterInfo.Status> value) {
		if (statuses.stream().noneMatch(MasterInfo.Status::reachable)) {
			return Double.NaN;
		}
		return statuses.stream().filter(MasterInfo.Status::reachable).mapToDouble(value).sum();
	}

}
