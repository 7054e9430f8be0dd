package io.stockservice.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.stockservice.redis.MasterInfo;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Not ready while Redis may evict the service's keys: a stock level evicted under
 * {@code allkeys-lru} answers 404 as if the SKU never existed, and an idempotency record
 * evicted under {@code volatile-lru} (a common default of managed Redis) lets a retry
 * take stock twice, both without a word. {@code maxmemory-policy noeviction} makes Redis
 * refuse writes when full instead, which the service answers with 503 and loses nothing.
 * An operator who knows what is evicted may accept it with
 * {@code stock.redis.accept-eviction=true}.
 */
public final class RedisEvictionHealthIndicator extends AbstractHealthIndicator {

	private static final String FIX = "set maxmemory-policy noeviction on every Redis master "
			+ "(CONFIG SET maxmemory-policy noeviction, and in redis.conf), "
			+ "or accept the risk with stock.redis.accept-eviction=true";

	private final MasterInfo masters;

	private final boolean accepted;

	public RedisEvictionHealthIndicator(MasterInfo masters, boolean accepted) {
		super("Redis eviction check failed");
		this.masters = masters;
		this.accepted = accepted;
	}

	/** What the operator should do about a policy that may evict. */
	public static String fix() {
		return FIX;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<MasterInfo.Status> statuses = this.masters.statuses();
		Map<String, Object> policies = new LinkedHashMap<>();
		boolean mayEvict = false;
		for (MasterInfo.Status status : statuses) {
			policies.put(status.node().toString(), status.reachable()
					? Map.of("maxmemory-policy", status.policy(), "maxmemory", status.maxmemory()) : status.error());
			mayEvict |= status.mayEvict();
		}
		builder.withDetail("masters", policies).withDetail("accepted", this.accepted);
		if (mayEvict && !this.accepted) {
			builder.outOfService()
				.withDetail("problem", "Redis may evict the service's keys (stock levels, idempotency records)")
				.withDetail("fix", FIX);
		}
		else {
			builder.up();
		}
	}

}
