package io.stockservice.config;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.stockservice.health.RedisEvictionHealthIndicator;
import io.stockservice.health.RedisReplicationHealthIndicator;
import io.stockservice.metrics.RedisMasterMetrics;
import io.stockservice.redis.MasterInfo;
import io.stockservice.redis.Masters;
import io.stockservice.stock.Replication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the service checks of its Redis besides reaching it: that it cannot evict the
 * service's keys (readiness), and that its masters have the replicas sales wait for
 * (health details, not readiness); both also as gauges.
 */
@Configuration(proxyBeanMethods = false)
class RedisHealthConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RedisHealthConfiguration.class);

	@Bean(destroyMethod = "close")
	MasterInfo masterInfo(ClientResources resources, DataRedisConnectionDetails details, DataRedisProperties redis,
			Masters redisMasters) {
		RedisClient client = RedisClient.create(resources);
		return new MasterInfo(client, RedisUris.template(details, redis), redisMasters, Duration.ofSeconds(1),
				System::nanoTime);
	}

	@Bean
	RedisEvictionHealthIndicator redisEvictionHealthIndicator(MasterInfo masterInfo, StockProperties properties) {
		return new RedisEvictionHealthIndicator(masterInfo, properties.redis().acceptEviction());
	}

	@Bean
	RedisReplicationHealthIndicator redisReplicationHealthIndicator(MasterInfo masterInfo, Replication replication) {
		return new RedisReplicationHealthIndicator(masterInfo, replication);
	}

	@Bean
	RedisMasterMetrics redisMasterMetrics(MasterInfo masterInfo, Replication replication) {
		return new RedisMasterMetrics(masterInfo, replication);
	}

	/**
	 * Says at start-up, in the log, what readiness will say: a policy that may evict the
	 * service's keys, the setting, and the fix.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> evictionPolicyCheck(MasterInfo masterInfo, StockProperties properties) {
		return (event) -> {
			for (MasterInfo.Status status : masterInfo.statuses()) {
				if (status.mayEvict() && !properties.redis().acceptEviction()) {
					logger.error(
							"Redis master {} has maxmemory-policy {} (maxmemory {} bytes): it may evict stock "
									+ "levels or idempotency records. The service is not ready until you {}",
							status.node(), status.policy(), status.maxmemory(), RedisEvictionHealthIndicator.fix());
				}
			}
		};
	}

}
