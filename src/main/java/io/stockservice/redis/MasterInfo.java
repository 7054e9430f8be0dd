package io.stockservice.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

/**
 * What each master says of itself ({@code INFO}): how it evicts keys when it is full, how
 * many replicas it has, and how many keys it holds. Health and metrics read it; one
 * reading serves every reader for a second, so a scrape or a probe costs one INFO per
 * master at most.
 * <p>
 * INFO rather than CONFIG GET: managed Redis offerings commonly rename or refuse CONFIG,
 * and INFO carries the same settings ({@code maxmemory}, {@code maxmemory_policy}). Each
 * master is asked on a connection of its own, kept open; it runs no transactions, so
 * Lettuce's reconnecting defaults suit it.
 */
public final class MasterInfo implements AutoCloseable {

	private final RedisClient client;

	private final RedisURI template;

	private final Masters masters;

	private final Duration maxAge;

	private final LongSupplier nanoClock;

	private final Map<Node, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();

	private List<Status> reading;

	private long readAt;

	/**
	 * @param client a client with Lettuce's default options, shut down when this closes
	 * @param template credentials, TLS and timeout of the connections
	 * @param masters which masters to ask
	 * @param maxAge how long one reading serves
	 */
	public MasterInfo(RedisClient client, RedisURI template, Masters masters, Duration maxAge, LongSupplier nanoClock) {
		this.client = client;
		this.template = template;
		this.masters = masters;
		this.maxAge = maxAge;
		this.nanoClock = nanoClock;
		masters.onRetired((node) -> {
			StatefulRedisConnection<String, String> connection = this.connections.remove(node);
			if (connection != null) {
				connection.closeAsync();
			}
		});
	}

	/** Each master's status, at most {@code maxAge} old. */
	public synchronized List<Status> statuses() {
		long now = this.nanoClock.getAsLong();
		if (this.reading == null || now - this.readAt >= this.maxAge.toNanos()) {
			List<Status> statuses = new ArrayList<>();
			for (Node node : this.masters.all()) {
				statuses.add(read(node));
			}
			this.reading = List.copyOf(statuses);
			this.readAt = now;
		}
		return this.reading;
	}

	private Status read(Node node) {
		try {
			StatefulRedisConnection<String, String> connection = this.connections.computeIfAbsent(node,
					(key) -> this.client.connect(StringCodec.UTF8,
							RedisURI.builder(this.template).withHost(node.host()).withPort(node.port()).build()));
			return Status.of(node, parse(connection.sync().info()));
		}
		catch (RuntimeException ex) {
			return Status.unreachable(node, ex.getMessage());
		}
	}

	/** {@code field:value} lines, sections and comments left out. */
	static Map<String, String> parse(String info) {
		Map<String, String> fields = new ConcurrentHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	/**
	 * Closes the connections and waits for it: the client, shut down next, would close
	 * them again (and warn).
	 */
	@Override
	public void close() {
		this.connections.values().forEach(StatefulRedisConnection::close);
		this.client.shutdown();
	}

	/**
	 * What a master said of itself.
	 *
	 * @param node the master
	 * @param error why it could not be asked, or {@code null}
	 * @param maxmemory its memory limit in bytes; 0 for none
	 * @param policy what it evicts at that limit ({@code maxmemory-policy})
	 * @param replicas the replicas connected to it now
	 * @param keys the keys of the database the service uses
	 * @param keysWithTtl those with a TTL: idempotency records, ended reservations
	 */
	public record Status(Node node, String error, long maxmemory, String policy, int replicas, long keys,
			long keysWithTtl) {

		static Status unreachable(Node node, String error) {
			return new Status(node, (error != null) ? error : "unreachable", 0, null, 0, 0, 0);
		}

		static Status of(Node node, Map<String, String> info) {
			long keys = 0;
			long expiring = 0;
			// db0:keys=100,expires=80,avg_ttl=... for each database that has keys; the
			// service's is the only one a cluster has, and the one it is configured to
			// use elsewhere: summed, as a dedicated Redis has just that one.
			for (Map.Entry<String, String> field : info.entrySet()) {
				if (field.getKey().matches("db\\d+")) {
					for (String part : field.getValue().split(",")) {
						if (part.startsWith("keys=")) {
							keys += Long.parseLong(part.substring(5));
						}
						else if (part.startsWith("expires=")) {
							expiring += Long.parseLong(part.substring(8));
						}
					}
				}
			}
			return new Status(node, null, Long.parseLong(info.getOrDefault("maxmemory", "0")),
					info.getOrDefault("maxmemory_policy", "noeviction"),
					Integer.parseInt(info.getOrDefault("connected_slaves", "0")), keys, expiring);
		}

		public boolean reachable() {
			return this.error == null;
		}

		/**
		 * Whether Redis may delete the service's keys to make room: any policy but
		 * {@code noeviction} once a limit is set. {@code allkeys-*} may evict a stock
		 * level; {@code volatile-*} exactly the keys with a TTL, the idempotency records
		 * and holds, and exactly-once with them.
		 */
		public boolean mayEvict() {
			return reachable() && this.maxmemory > 0 && !"noeviction".equals(this.policy);
		}

	}

}
