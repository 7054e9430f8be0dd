package io.stockservice.config;

import java.time.Duration;

import io.lettuce.core.RedisURI;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.StringUtils;

/**
 * Turns the standard {@code spring.data.redis.*} settings (or a connection-details bean,
 * as Testcontainers' {@code @ServiceConnection} provides) into the Lettuce URI of the
 * transaction connections, so that the service's Redis is configured in one place.
 */
final class RedisUris {

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private RedisUris() {
	}

	static RedisURI of(DataRedisConnectionDetails details, DataRedisProperties properties) {
		if (details.getCluster() != null) {
			throw new InvalidSettingException("spring.data.redis.cluster.nodes",
					"a Redis Cluster is not supported: each reduction is one transaction (WATCH/MULTI/EXEC or one "
							+ "script) on a single master.",
					"Remove spring.data.redis.cluster.nodes and point the service at a standalone Redis "
							+ "(spring.data.redis.host and port) or at Sentinel (spring.data.redis.sentinel.master "
							+ "and nodes).");
		}
		RedisURI.Builder builder = (details.getSentinel() != null) ? sentinel(details.getSentinel())
				: standalone(details.getStandalone());
		authenticate(builder, details.getUsername(), details.getPassword());
		if (useSsl(details, properties)) {
			builder.withSsl(true).withVerifyPeer(true);
		}
		return builder.withTimeout((properties.getTimeout() != null) ? properties.getTimeout() : DEFAULT_TIMEOUT)
			.withClientName(
					StringUtils.hasText(properties.getClientName()) ? properties.getClientName() : "stock-service")
			.build();
	}

	private static RedisURI.Builder standalone(DataRedisConnectionDetails.Standalone standalone) {
		return RedisURI.Builder.redis(standalone.getHost(), standalone.getPort())
			.withDatabase(standalone.getDatabase());
	}

	private static RedisURI.Builder sentinel(DataRedisConnectionDetails.Sentinel sentinel) {
		RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(sentinel.getMaster());
		for (Node node : sentinel.getNodes()) {
			RedisURI.Builder sentinelNode = RedisURI.Builder.redis(node.host(), node.port());
			authenticate(sentinelNode, sentinel.getUsername(), sentinel.getPassword());
			builder.withSentinel(sentinelNode.build());
		}
		return builder.withDatabase(sentinel.getDatabase());
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
