package io.stockservice.stock;

import java.time.Duration;

/**
 * What both hold strategies need besides their connections.
 *
 * @param keys where things live in Redis
 * @param retention how long an ended hold's hash is kept (for GET), from its end
 * @param recordTtl how long an idempotency record lasts
 * @param replication how many replicas confirm each write
 * @param retry how conflicts (WATCH) and cluster redirects are retried
 */
public record HoldSettings(StockKeys keys, Duration retention, Duration recordTtl, Replication replication,
		RetryPolicy retry) {

	public HoldSettings {
		if (retention.toMillis() < 1 || recordTtl.toMillis() < 1) {
			throw new IllegalArgumentException("Retention and record TTL must be at least 1 ms");
		}
	}

}
