package io.stockservice.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.stockservice.redis.MasterInfo;
import io.stockservice.stock.Replication;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether every master has the replicas a sale must wait for
 * ({@code stock.redis.replicas-to-ack}). A master without them (right after a failover,
 * until a replica rejoins) cannot acknowledge a sale: reductions answer 503 meanwhile.
 * Reads still work, so this is {@code DEGRADED} rather than down, and not part of
 * readiness: taking the instance out of the load balancer would not bring a replica back.
 */
public final class RedisReplicationHealthIndicator extends AbstractHealthIndicator {

	/** Serving reads, but not acknowledging sales. */
	public static final Status DEGRADED = new Status("DEGRADED",
			"Too few replicas are connected to acknowledge sales; reductions answer 503");

	private final MasterInfo masters;

	private final Replication replication;

	public RedisReplicationHealthIndicator(MasterInfo masters, Replication replication) {
		super("Redis replication check failed");
		this.masters = masters;
		this.replication = replication;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> replicas = new LinkedHashMap<>();
		boolean enough = true;
		for (MasterInfo.Status status : this.masters.statuses()) {
			replicas.put(status.node().toString(), status.reachable() ? status.replicas() : status.error());
			enough &= status.reachable() && status.replicas() >= this.replication.replicas();
		}
		builder.withDetail("replicasToAck", this.replication.replicas()).withDetail("connectedReplicas", replicas);
		builder.status(enough ? Status.UP : DEGRADED);
	}

}
