package io.stockservice.config;

import java.time.Duration;

import io.stockservice.stock.RetryPolicy;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockLevel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code stock.*} settings.
 *
 * @param keyPrefix prepended to a SKU to make its Redis key
 * @param keyNamespace prepended to every other key the service writes (idempotency
 * records, reservations)
 * @param maxQuantity the most units one request may reduce or restock
 * @param reduce how reductions run
 * @param redis how the service uses its Redis connections
 * @param idempotency how {@code Idempotency-Key} records are kept
 * @param http limits on what the HTTP API accepts
 * @param admin who may set, restock and delete stock
 * @param reservations how holds are kept and expired
 */
@ConfigurationProperties("stock")
@Validated
public record StockProperties(@DefaultValue(StockKeys.DEFAULT_STOCK_PREFIX) @NotNull String keyPrefix,
		@DefaultValue(StockKeys.DEFAULT_NAMESPACE) @NotBlank String keyNamespace,
		@DefaultValue("1000000") @Min(1) @Max(StockLevel.MAX) long maxQuantity, @DefaultValue @Valid Reduce reduce,
		@DefaultValue @Valid Redis redis, @DefaultValue @Valid Idempotency idempotency, @DefaultValue @Valid Http http,
		@DefaultValue Admin admin, @DefaultValue @Valid Reservations reservations) {

	/** Which reduce algorithm runs. */
	public enum Strategy {

		/**
		 * Optimistic WATCH/MULTI/EXEC with bounded, jittered retries: the article's way.
		 */
		WATCH,

		/** One atomic Lua check-and-decrement per request: no conflicts, no retries. */
		LUA

	}

	/**
	 * @param strategy {@code watch} (default) or {@code lua}
	 * @param maxAttempts transactions one request may try before it gives up with 503
	 * @param initialBackoff the cap of the first jittered pause after a conflict
	 * @param maxBackoff the cap of any pause
	 * @param deadline the time one request may take in all, waiting included
	 * @param retryAfter the {@code Retry-After} a 503 suggests
	 * @param combining how concurrent requests in this instance share transactions
	 */
	public record Reduce(@DefaultValue("watch") @NotNull Strategy strategy,
			@DefaultValue("20") @Min(1) @Max(1000) int maxAttempts,
			@DefaultValue("1ms") @NotNull Duration initialBackoff, @DefaultValue("100ms") @NotNull Duration maxBackoff,
			@DefaultValue("2s") @NotNull Duration deadline, @DefaultValue("1s") @NotNull Duration retryAfter,
			@DefaultValue @Valid Combining combining) {

		public RetryPolicy retryPolicy() {
			return new RetryPolicy(this.maxAttempts, this.initialBackoff, this.maxBackoff);
		}

	}

	/**
	 * @param enabled combine concurrent requests in this instance into shared
	 * transactions (one WATCHed read, one DECRBY per SKU), answering each in arrival
	 * order
	 * @param maxBatch the most requests one transaction serves
	 * @param maxInFlight the most combined transactions at a time, each serving requests
	 * for as many SKUs of one Redis Cluster hash slot as are waiting; 0 for one SKU per
	 * transaction, as many at a time as SKUs are waiting
	 */
	public record Combining(@DefaultValue("true") boolean enabled,
			@DefaultValue("256") @Min(1) @Max(10_000) int maxBatch,
			@DefaultValue("4") @Min(0) @Max(10_000) int maxInFlight) {

	}

	/**
	 * @param maxConnections the most connections held for transactions to one master at
	 * once; each serves one request at a time, so this bounds the requests that talk to a
	 * master concurrently
	 * @param replicasToAck replicas that must confirm a write (WAIT) before it is
	 * acknowledged; unset: 1 on a Sentinel or Cluster topology, 0 on a standalone Redis
	 * @param replicaAckTimeout the longest wait for them, within the request's deadline
	 * @param acceptEviction start (and stay ready) even when Redis may evict the
	 * service's keys ({@code maxmemory-policy} other than {@code noeviction})
	 */
	public record Redis(@DefaultValue("64") @Min(1) @Max(10_000) int maxConnections,
			@Min(0) @Max(16) Integer replicasToAck, @DefaultValue("500ms") @NotNull Duration replicaAckTimeout,
			@DefaultValue("false") boolean acceptEviction) {

	}

	/**
	 * @param ttl how long a recorded outcome is replayed to retries
	 * @param keyPrefix no longer used: records live under {@code stock.key-namespace};
	 * set, it fails the start, so that nobody believes it still applies
	 */
	public record Idempotency(@DefaultValue("1h") @NotNull Duration ttl, String keyPrefix) {

	}

	/**
	 * @param maxBodySize the largest request body accepted; a larger one is refused with
	 * 413 before it is read, whether its length is declared or it is sent in chunks
	 */
	public record Http(@DefaultValue("16KB") @NotNull DataSize maxBodySize) {

	}

	/**
	 * @param defaultTtl how long a reservation holds its units when the request gives no
	 * {@code ttl}
	 * @param retention how long an ended reservation is kept for {@code GET}, from its
	 * end
	 * @param sweepInterval how often this instance looks for reservations whose time has
	 * run out; expiry lags {@code expiresAt} by at most about this much
	 * @param sweepBatch the most reservations of one shard of the list of holds due
	 * expired per round trip to it
	 * @param sweeping whether this instance sweeps at all (every instance does by
	 * default; one that does not still creates and ends reservations)
	 * @param sweepThreads how many shards of the list of holds due this instance sweeps
	 * side by side
	 */
	public record Reservations(@DefaultValue("10m") @NotNull Duration defaultTtl,
			@DefaultValue("24h") @NotNull Duration retention, @DefaultValue("250ms") @NotNull Duration sweepInterval,
			@DefaultValue("100") @Min(1) @Max(10_000) int sweepBatch, @DefaultValue("true") boolean sweeping,
			@DefaultValue("4") @Min(1) @Max(16) int sweepThreads) {

	}

	/**
	 * @param token the bearer token that {@code PUT /stock/{sku}}, restock and delete
	 * require ({@code STOCK_ADMIN_TOKEN}); unset or empty, they are open to every caller
	 * and the service warns at start-up (outside the {@code local} profile)
	 */
	public record Admin(String token) {

		public boolean required() {
			return this.token != null && !this.token.isEmpty();
		}

		@Override
		public String toString() {
			// Never print the token, e.g. in /actuator/configprops or a log line.
			return "Admin[token=" + (required() ? "******" : "unset") + "]";
		}

	}

}
