package io.stockservice.config;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.stockservice.metrics.ReservationMetrics;
import io.stockservice.redis.TransactionConnections;
import io.stockservice.stock.HoldListener;
import io.stockservice.stock.HoldSettings;
import io.stockservice.stock.HoldStrategy;
import io.stockservice.stock.HoldSweeper;
import io.stockservice.stock.HoldsDue;
import io.stockservice.stock.LuaHoldStrategy;
import io.stockservice.stock.Replication;
import io.stockservice.stock.Reservations;
import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.Sleeper;
import io.stockservice.stock.SpanningOrders;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.WatchHoldStrategy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires reservations: the hold strategy matching {@code stock.reduce.strategy}, the list
 * of holds due, the sweeper that expires them on every instance, and the orders that span
 * hash slots of a Redis Cluster (carried out as short reservations).
 */
@Configuration(proxyBeanMethods = false)
class ReservationConfiguration {

	@Bean
	HoldSettings holdSettings(StockKeys keys, StockProperties properties, Replication replication) {
		StockProperties.Reservations reservations = properties.reservations();
		Duration ttl = reservations.defaultTtl();
		if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
			throw new IllegalStateException(
					"stock.reservations.default-ttl must be from 1s to 24h (what a request may ask for), was " + ttl);
		}
		return new HoldSettings(keys, reservations.retention(), properties.idempotency().ttl(), replication,
				properties.reduce().retryPolicy());
	}

	@Bean
	HoldStrategy holdStrategy(TransactionConnections connections, HoldSettings settings, StockProperties properties) {
		return switch (properties.reduce().strategy()) {
			case WATCH -> new WatchHoldStrategy(connections, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			case LUA -> new LuaHoldStrategy(connections, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		};
	}

	@Bean
	HoldsDue holdsDue(TransactionConnections connections, StockKeys keys, Replication replication) {
		return new HoldsDue(connections, keys, replication);
	}

	@Bean
	ReservationMetrics reservationMetrics(MeterRegistry registry, StockProperties properties) {
		return new ReservationMetrics(registry,
				properties.reduce().strategy().name().toLowerCase(java.util.Locale.ROOT));
	}

	@Bean
	Reservations reservations(TransactionConnections connections, HoldSettings settings, HoldStrategy strategy,
			HoldsDue due, ObjectProvider<HoldListener> listeners, StockProperties properties) {
		return new Reservations(connections, settings, strategy, due,
				HoldListener.all(listeners.orderedStream().toList()), properties.reduce().deadline());
	}

	@Bean
	HoldSweeper holdSweeper(HoldsDue due, HoldStrategy strategy, ObjectProvider<HoldListener> listeners,
			StockProperties properties) {
		return new HoldSweeper(due, strategy, HoldListener.all(listeners.orderedStream().toList()),
				properties.reservations().sweepBatch(), properties.reduce().deadline());
	}

	@Bean
	HoldSweeping holdSweeping(HoldSweeper sweeper, StockProperties properties) {
		StockProperties.Reservations reservations = properties.reservations();
		return new HoldSweeping(sweeper, reservations.sweepInterval(), reservations.sweeping(),
				reservations.sweepThreads());
	}

	/**
	 * Orders whose SKUs span a cluster's hash slots hold their parts for twice the
	 * deadline of a request: longer than the order may take, short enough that the units
	 * of an order whose instance died come back soon.
	 */
	@Bean
	SpanningOrders spanningOrders(TransactionConnections connections, HoldSettings settings, HoldStrategy strategy,
			HoldsDue due, StockProperties properties) {
		Duration holdTtl = properties.reduce().deadline().multipliedBy(2);
		return new SpanningOrders(connections, settings, strategy, due,
				(holdTtl.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : holdTtl);
	}

}
