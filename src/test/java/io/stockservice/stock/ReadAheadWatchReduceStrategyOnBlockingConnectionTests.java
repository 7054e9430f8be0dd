package io.stockservice.stock;

import java.time.Duration;

import io.lettuce.core.RedisURI;

/**
 * Every test of {@link ReadAheadWatchReduceStrategyTests}, on the plain blocking
 * connection that the load generator's workers use instead of the service's pool.
 */
class ReadAheadWatchReduceStrategyOnBlockingConnectionTests extends ReadAheadWatchReduceStrategyTests {

	@Override
	RedisSessions connect(RedisURI uri, int maxConnections) {
		return BlockingRedisConnection.to(uri, Duration.ofSeconds(2), "contract-test");
	}

}
