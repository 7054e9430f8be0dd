package io.stockservice.config;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisURI;
import io.stockservice.redis.Node;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.StringUtils;

/**
 * Turns the standard {@code spring.data.redis.*} settings (or a connection-details bean,
 * as Testcontainers' {@code @ServiceConnection} provides) into what the transaction
 * connections need, so that the service's Redis is configured in one place: the
 * credentials, TLS, database, timeout and client name every connection shares, and where
 * the masters are (one server, a Sentinel's, or a Cluster's).
 */
final class RedisUris {

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private RedisUris() {
	}

	/** The kind of Redis deployment the settings describe. */
	enum Topology {

		STANDALONE, SENTINEL, CLUSTER

	}

	/**
	 * @throws InvalidSettingException if the settings name no topology the service can
	 * follow
	 */
	static void checkTopology(DataRedisConnectionDetails details) {
		if (details.getCluster() != null && details.getSentinel() != null) {
			throw new InvalidSettingException("spring.data.redis.cluster.nodes",
					"it is set together with spring.data.redis.sentinel.*, and a Redis deployment is either a "
							+ "Cluster or watched by Sentinel.",
					"Keep the settings of the one you run: spring.data.redis.cluster.nodes, or "
							+ "spring.data.redis.sentinel.master and .nodes.");
		}
		if (details.getSentinel() != null && (details.getSentinel().getNodes() == null
				|| details.getSentinel().getNodes().isEmpty() || details.getSentinel().getMaster() == null)) {
			throw new InvalidSettingException("spring.data.redis.sentinel.nodes",
					"Sentinel needs both the sentinels (host:port, comma-separated) and the name they watch the "
							+ "master under, and one of them is missing.",
					"Set spring.data.redis.sentinel.nodes (e.g. sentinel-1:26379,sentinel-2:26379) and "
							+ "spring.data.redis.sentinel.master (e.g. mymaster).");
		}
		if (details.getCluster() != null
				&& (details.getCluster().getNodes() == null || details.getCluster().getNodes().isEmpty())) {
			throw new InvalidSettingException("spring.data.redis.cluster.nodes", "it names no node.",
					"Set it to some of the cluster's nodes, host:port, comma-separated.");
		}
	}

	static Topology topology(DataRedisConnectionDetails details) {
		if (details.getCluster() != null) {
			return Topology.CLUSTER;
		}
		return (details.getSentinel() != null) ? Topology.SENTINEL : Topology.STANDALONE;
	}

	/**
	 * What every transaction connection shares; each connection replaces the host and
	 * port with its master's.
	 */
	static RedisURI template(DataRedisConnectionDetails details, DataRedisProperties properties) {
		RedisURI.Builder builder = RedisURI.Builder.redis(standalone(details).host(), standalone(details).port());
		switch (topology(details)) {
			case SENTINEL -> builder.withDatabase(details.getSentinel().getDatabase());
			case STANDALONE -> builder.withDatabase(details.getStandalone().getDatabase());
			case CLUSTER -> {
				// A Redis Cluster has one database, 0.
			}
		}
		authenticate(builder, details.getUsername(), details.getPassword());
		if (useSsl(details, properties)) {
			builder.withSsl(true).withVerifyPeer(true);
		}
		return builder.withTimeout((properties.getTimeout() != null) ? properties.getTimeout() : DEFAULT_TIMEOUT)
			.withClientName(
					StringUtils.hasText(properties.getClientName()) ? properties.getClientName() : "stock-service")
			.build();
	}

	/** The standalone server, or a placeholder where the masters are found otherwise. */
	static Node standalone(DataRedisConnectionDetails details) {
		if (topology(details) != Topology.STANDALONE) {
			return new Node("localhost", RedisURI.DEFAULT_REDIS_PORT);
		}
		return new Node(details.getStandalone().getHost(), details.getStandalone().getPort());
	}

	/** Each sentinel, with the sentinels' own credentials and the data nodes' TLS. */
	static List<RedisURI> sentinels(DataRedisConnectionDetails details, DataRedisProperties properties) {
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		return sentinel.getNodes().stream().map((node) -> {
			RedisURI.Builder uri = RedisURI.Builder.redis(node.host(), node.port());
			authenticate(uri, sentinel.getUsername(), sentinel.getPassword());
			if (useSsl(details, properties)) {
				uri.withSsl(true).withVerifyPeer(true);
			}
			return uri.withTimeout(timeout(properties)).build();
		}).toList();
	}

	/** Each seed node of a cluster, with the data nodes' credentials and TLS. */
	static List<RedisURI> clusterSeeds(DataRedisConnectionDetails details, DataRedisProperties properties) {
		return details.getCluster().getNodes().stream().map((node) -> {
			RedisURI.Builder uri = RedisURI.Builder.redis(node.host(), node.port());
			authenticate(uri, details.getUsername(), details.getPassword());
			if (useSsl(details, properties)) {
				uri.withSsl(true).withVerifyPeer(true);
			}
			return uri.withTimeout(timeout(properties)).build();
		}).toList();
	}

	static Duration timeout(DataRedisProperties properties) {
		return (properties.getTimeout() != null) ? properties.getTimeout() : DEFAULT_TIMEOUT;
	}

	/** An ACL user and password, or a password alone, or nothing when there is none. */
	private static void authenticate(RedisURI.Builder builder, String username, String password) {
		if (StringUtils.hasText(password)) {
			if (StringUtils.hasText(username)) {
				builder.withAuthentication(username, password);
			}
			else {
				builder.withPassword(password.toCharArray());
			}
		}
	}

	static boolean useSsl(DataRedisConnectionDetails details, DataRedisProperties properties) {
		String url = properties.getUrl();
		return details.getSslBundle() != null || properties.getSsl().isEnabled()
				|| (url != null && url.startsWith("rediss://"));
	}

}
