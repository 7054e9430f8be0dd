package io.stockservice.config;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.stockservice.metrics.ReduceMetrics;
import io.stockservice.redis.ClusterMasters;
import io.stockservice.redis.Masters;
import io.stockservice.redis.SentinelMasters;
import io.stockservice.redis.StandaloneMaster;
import io.stockservice.redis.TransactionConnections;
import io.stockservice.stock.IdempotencyRecords;
import io.stockservice.stock.LuaReduceStrategy;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.ReduceStrategy;
import io.stockservice.stock.Replication;
import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.Sleeper;
import io.stockservice.stock.SpanningOrders;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockReducer;
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
		SslOptions ssl = sslOptions(details);
		if (ssl != null) {
			options.sslOptions(ssl);
		}
		RedisClient client = RedisClient.create(resources);
		client.setOptions(options.build());
		return client;
	}

	/**
	 * Where the masters are: the one server of {@code spring.data.redis.host}, the master
	 * the sentinels of {@code spring.data.redis.sentinel.*} name, or the masters of the
	 * cluster of {@code spring.data.redis.cluster.nodes}.
	 */
	@Bean(destroyMethod = "close")
	Masters redisMasters(ClientResources resources, DataRedisConnectionDetails details, DataRedisProperties redis) {
		RedisUris.checkTopology(details);
		return switch (RedisUris.topology(details)) {
			case STANDALONE -> new StandaloneMaster(RedisUris.standalone(details));
			case SENTINEL -> new SentinelMasters(topologyClient(resources, details),
					RedisUris.sentinels(details, redis), details.getSentinel().getMaster(), RedisUris.timeout(redis));
			case CLUSTER -> new ClusterMasters(clusterClient(resources, details, redis));
		};
	}

	/**
	 * The sentinels' connections run no transactions: Lettuce's defaults (reconnect,
	 * resubscribe) suit them.
	 */
	private static RedisClient topologyClient(ClientResources resources, DataRedisConnectionDetails details) {
		RedisClient client = RedisClient.create(resources);
		SslOptions ssl = sslOptions(details);
		if (ssl != null) {
			client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
		}
		return client;
	}

	private static RedisClusterClient clusterClient(ClientResources resources, DataRedisConnectionDetails details,
			DataRedisProperties redis) {
		RedisClusterClient client = RedisClusterClient.create(resources, RedisUris.clusterSeeds(details, redis));
		ClusterClientOptions.Builder options = ClusterClientOptions.builder();
		SslOptions ssl = sslOptions(details);
		if (ssl != null) {
			options.sslOptions(ssl);
		}
		client.setOptions(options.build());
		return client;
	}

	private static SslOptions sslOptions(DataRedisConnectionDetails details) {
		SslBundle bundle = details.getSslBundle();
		if (bundle == null) {
			return null;
		}
		return SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory())
			.build();
	}

	@Bean(destroyMethod = "close")
	TransactionConnections transactionConnections(RedisClient transactionRedisClient, Masters redisMasters,
			DataRedisConnectionDetails details, DataRedisProperties redis, StockProperties properties) {
		return new TransactionConnections(transactionRedisClient, RedisUris.template(details, redis), redisMasters,
				properties.redis().maxConnections());
	}

	/**
	 * How many replicas confirm a write before it is acknowledged: as configured, else 1
	 * where a failover can promote a replica (Sentinel, Cluster) and 0 on one server.
	 */
	@Bean
	Replication replication(StockProperties properties, DataRedisConnectionDetails details) {
		Integer configured = properties.redis().replicasToAck();
		int replicas = (configured != null) ? configured
				: (RedisUris.topology(details) == RedisUris.Topology.STANDALONE) ? 0 : 1;
		return new Replication(replicas, properties.redis().replicaAckTimeout());
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
		if (properties.idempotency().keyPrefix() != null) {
			throw new InvalidSettingException("stock.idempotency.key-prefix",
					"it is no longer used: idempotency records live under stock.key-namespace, in the hash slot of "
							+ "their SKU, e.g. stock-service:idempotency:{stock:count}:<key>.",
					"Remove stock.idempotency.key-prefix; set stock.key-namespace (default 'stock-service:') to "
							+ "move every key the service owns besides the stock keys.");
		}
		try {
			return new StockKeys(properties.keyPrefix(), properties.keyNamespace());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("stock.key-prefix",
					"it, or stock.key-namespace, holds '{' or '}' ('" + properties.keyPrefix() + "', '"
							+ properties.keyNamespace() + "'): Redis Cluster would hash the braces' content "
							+ "instead of the key, and a SKU's keys would no longer share its slot.",
					"Choose prefixes without braces (the defaults are 'stock:' and 'stock-service:').", ex);
		}
	}

	@Bean
	IdempotencyRecords idempotencyRecords(StockProperties properties) {
		return new IdempotencyRecords(properties.idempotency().ttl());
	}

	@Bean
	ReduceMetrics reduceMetrics(MeterRegistry registry, StockProperties properties) {
		return new ReduceMetrics(registry, strategyName(properties.reduce().strategy()));
	}

	@Bean
	StockReducer stockReducer(TransactionConnections connections, StockKeys keys, IdempotencyRecords records,
			Replication replication, StockProperties properties, ObjectProvider<ReduceListener> listeners,
			Executor combinerExecutor, SpanningOrders spanningOrders) {
		ReduceListener listener = ReduceListener.all(listeners.orderedStream().toList());
		StockProperties.Reduce reduce = properties.reduce();
		ReduceStrategy strategy = switch (reduce.strategy()) {
			case WATCH -> new WatchReduceStrategy(connections, keys, records, replication, reduce.retryPolicy(),
					listener, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
			case LUA -> new LuaReduceStrategy(connections, keys, records, replication, reduce.retryPolicy(), listener,
					Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
		};
		StockReducer reducer = new StockReducer(strategy, reduce.deadline(), listener).spanning(spanningOrders);
		StockProperties.Combining combining = reduce.combining();
		return combining.enabled() ? reducer.combining(combinerExecutor, combining.maxBatch(), combining.maxInFlight())
				: reducer;
	}

	/**
	 * Runs combined transactions (at most max-in-flight at a time, or one per SKU with
	 * claims waiting where that is 0): virtual threads where the JVM has them (21+), else
	 * platform threads up to the connection pool's size (each transaction holds one
	 * connection, so more threads could only wait).
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
