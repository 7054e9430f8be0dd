package io.stockservice.config;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.stockservice.metrics.ReduceMetrics;
import io.stockservice.stock.IdempotencyRecords;
import io.stockservice.stock.LuaReduceStrategy;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.ReduceStrategy;
import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.Sleeper;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockReducer;
import io.stockservice.stock.TransactionConnections;
import io.stockservice.stock.WatchReduceStrategy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Wires the Spring-free reduce algorithm ({@code io.stockservice.stock}) to the service's
 * Redis settings and metrics.
 * <p>
 * Spring Data Redis keeps its own connection factory, which serves the {@code redis}
 * health check. Transactions use a client of their own because they need options the
 * shared connection must not have (no auto-reconnect: see
 * {@link TransactionConnections#clientOptions}); both share one set of Netty event loops.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StockProperties.class)
class StockConfiguration {

	@Bean(destroyMethod = "shutdown")
	RedisClient transactionRedisClient(ClientResources resources, DataRedisConnectionDetails details,
			DataRedisProperties redis) {
		Duration connectTimeout = (redis.getConnectTimeout() != null) ? redis.getConnectTimeout()
				: RedisUris.DEFAULT_TIMEOUT;
		ClientOptions.Builder options = TransactionConnections.clientOptions(connectTimeout);
		SslBundle bundle = details.getSslBundle();
		if (bundle != null) {
			options.sslOptions(SslOptions.builder()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory())
				.build());
		}
		RedisClient client = RedisClient.create(resources);
		client.setOptions(options.build());
		return client;
	}

	@Bean(destroyMethod = "close")
	TransactionConnections transactionConnections(RedisClient transactionRedisClient,
			DataRedisConnectionDetails details, DataRedisProperties redis, StockProperties properties) {
		return new TransactionConnections(transactionRedisClient, RedisUris.of(details, redis),
				properties.redis().maxConnections());
	}

	/**
	 * Spring Data Redis's own connections (the health check's) never replay a command
	 * after a reconnect either, and fail at once while Redis is away instead of queueing
	 * until timeout.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer noCommandReplay() {
		return (options) -> options.replayFilter((command) -> true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	StockKeys stockKeys(StockProperties properties) {
		return new StockKeys(properties.keyPrefix());
	}

	@Bean
	IdempotencyRecords idempotencyRecords(StockProperties properties) {
		String stockPrefix = properties.keyPrefix();
		String recordPrefix = properties.idempotency().keyPrefix();
		if (recordPrefix.startsWith(stockPrefix) || stockPrefix.startsWith(recordPrefix)) {
			throw new InvalidSettingException("stock.idempotency.key-prefix",
					"'" + recordPrefix + "' overlaps stock.key-prefix '" + stockPrefix
							+ "', so some SKU's stock key could be some client's idempotency record.",
					"Give the two prefixes different beginnings, neither a prefix of the other (the defaults are "
							+ "'stock:' and 'idempotency:').");
		}
		return new IdempotencyRecords(recordPrefix, properties.idempotency().ttl());
	}

	@Bean
	ReduceMetrics reduceMetrics(MeterRegistry registry, StockProperties properties) {
		return new ReduceMetrics(registry, strategyName(properties.reduce().strategy()));
	}

	@Bean
	StockReducer stockReducer(TransactionConnections connections, StockKeys keys, IdempotencyRecords records,
			StockProperties properties, ObjectProvider<ReduceListener> listeners, Executor combinerExecutor) {
		ReduceListener listener = ReduceListener.all(listeners.orderedStream().toList());
		ReduceStrategy strategy = switch (properties.reduce().strategy()) {
			case WATCH -> watch(connections, keys, records, properties.reduce(), listener);
			case LUA -> new LuaReduceStrategy(connections, keys, records, listener);
		};
		StockReducer reducer = new StockReducer(strategy, properties.reduce().deadline(), listener);
		StockProperties.Combining combining = properties.reduce().combining();
		return combining.enabled() ? reducer.combining(combinerExecutor, combining.maxBatch()) : reducer;
	}

	private static WatchReduceStrategy watch(TransactionConnections connections, StockKeys keys,
			IdempotencyRecords records, StockProperties.Reduce reduce, ReduceListener listener) {
		WatchReduceStrategy watch = new WatchReduceStrategy(connections, keys, records, reduce.retryPolicy(), listener,
				Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		return reduce.readAhead() ? watch.readingAhead() : watch;
	}

	/**
	 * Runs combined transactions, one per SKU at a time: virtual threads where the JVM
	 * has them (21+), else platform threads up to the connection pool's size (each
	 * transaction holds one connection, so more threads could only wait).
	 */
	@Bean
	Executor combinerExecutor(StockProperties properties) {
		if (Runtime.version().feature() >= 21) {
			return new VirtualThreadTaskExecutor("stock-combiner-");
		}
		int threads = properties.redis().maxConnections();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), new CustomizableThreadFactory("stock-combiner-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	@Bean
	StockLevels stockLevels(TransactionConnections connections, StockKeys keys, StockProperties properties) {
		return new StockLevels(connections, keys, properties.reduce().deadline());
	}

	private static String strategyName(StockProperties.Strategy strategy) {
		return switch (strategy) {
			case WATCH -> WatchReduceStrategy.NAME;
			case LUA -> LuaReduceStrategy.NAME;
		};
	}

}
