package io.stockservice.stock;

import java.util.Objects;

/**
 * Where the service keeps things in Redis.
 * <p>
 * A SKU's stock lives at {@code stockPrefix + sku}: under the default prefix
 * {@code stock:} the SKU {@code count} is the article's own key {@code stock:count}, so
 * the service and the article's clients can sell from the same counter. Everything else
 * the service writes lives under a namespace of its own ({@code stock-service:} by
 * default, so an ACL can grant exactly {@code ~stock:* ~stock-service:*}), and names the
 * stock key of its SKU as a Redis Cluster hash tag: {@code {stock:count}}. Redis Cluster
 * hashes only what is between the first braces, so each of those keys lies in its stock
 * key's hash slot, and one transaction (or one script) can touch a SKU's stock and its
 * records together on any topology. Since a SKU never contains a brace, no such key can
 * ever be some SKU's stock key, whatever the prefixes.
 *
 * @param stockPrefix prepended to every SKU
 * @param namespace prepended to every other key
 */
public record StockKeys(String stockPrefix, String namespace) {

	public static final String DEFAULT_STOCK_PREFIX = "stock:";

	public static final String DEFAULT_NAMESPACE = "stock-service:";

	public StockKeys {
		Objects.requireNonNull(stockPrefix, "stockPrefix");
		Objects.requireNonNull(namespace, "namespace");
		if (hasBrace(stockPrefix) || hasBrace(namespace)) {
			throw new IllegalArgumentException("Key prefixes must not contain '{' or '}' (they would change the "
					+ "Redis Cluster hash slot of keys): '" + stockPrefix + "', '" + namespace + "'");
		}
		if (namespace.isEmpty()) {
			throw new IllegalArgumentException("The key namespace must not be empty");
		}
	}

	public static StockKeys defaults() {
		return new StockKeys(DEFAULT_STOCK_PREFIX, DEFAULT_NAMESPACE);
	}

	/** The key of a SKU's stock level, e.g. {@code stock:count}. */
	public String stock(String sku) {
		return this.stockPrefix + sku;
	}

	/**
	 * The key of the idempotency record of a client's key, in the slot of the claim's
	 * anchor SKU, e.g. {@code stock-service:idempotency:{stock:count}:3f2a...}. Whatever
	 * the client's key holds (braces included) comes after the tag, so it cannot move the
	 * record to another slot.
	 */
	public String record(String anchorSku, String idempotencyKey) {
		return this.namespace + "idempotency:{" + stock(anchorSku) + "}:" + idempotencyKey;
	}

	/**
	 * The key of the units of a SKU held by reservations now, e.g.
	 * {@code stock-service:reserved:{stock:count}}: in the stock key's slot, so that a
	 * hold moves units between the two in one transaction.
	 */
	public String reserved(String sku) {
		return this.namespace + "reserved:{" + stock(sku) + "}";
	}

	/**
	 * The key of one part of a reservation: the hash of the hold on the SKUs of one hash
	 * slot, named after the part's anchor (its smallest SKU), e.g.
	 * {@code stock-service:hold:{stock:count}:<id>}.
	 */
	public String hold(String partAnchorSku, String reservationId) {
		return this.namespace + "hold:{" + stock(partAnchorSku) + "}:" + reservationId;
	}

	/**
	 * The key of the idempotency record of a reservation request, in the slot of the
	 * reservation's anchor SKU. Reservations keep their records apart from those of
	 * reductions: the two requests are answered in different shapes.
	 */
	public String reservationRecord(String anchorSku, String idempotencyKey) {
		return this.namespace + "reservation-idempotency:{" + stock(anchorSku) + "}:" + idempotencyKey;
	}

	/**
	 * The key of one shard of the list of holds due to expire, e.g.
	 * {@code stock-service:holds-due:{7}}. The one kind of key that lies in no SKU's
	 * slot: it indexes the holds of many SKUs. Its own hash tag spreads the shards over a
	 * cluster's masters.
	 */
	public String holdsDue(int shard) {
		return this.namespace + "holds-due:{" + shard + "}";
	}

	private static boolean hasBrace(String prefix) {
		return prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0;
	}

}
