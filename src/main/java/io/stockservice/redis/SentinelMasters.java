package io.stockservice.redis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.stockservice.stock.StockUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master a Redis Sentinel deployment names, followed as it changes.
 * <p>
 * When Sentinel promotes a replica, the old master is told to become a replica only once
 * Sentinel reaches it again, which may be many seconds later (or never, if it is cut
 * off). Until then it still accepts writes, which it throws away when it finally
 * resynchronises from the new master. So the service must stop starting transactions on
 * it the moment Sentinel switches: every sentinel is subscribed to for
 * {@code +switch-master}, and on that message the master changes here and the connections
 * to the old one are closed. A sentinel is also asked every second, in case a message was
 * lost while a subscription was down, and at once whenever a connection finds its node to
 * be a replica (READONLY, or the role check on connecting).
 * <p>
 * Writes that reached the old master before the switch, but not its replica, are what
 * {@code stock.redis.replicas-to-ack} (WAIT) guards against: they are never acknowledged.
 */
public final class SentinelMasters implements Masters {

	private static final Logger logger = LoggerFactory.getLogger(SentinelMasters.class);

	private static final String SWITCH_MASTER = "+switch-master";

	private static final Duration POLL_EVERY = Duration.ofSeconds(1);

	private final RedisClient client;

	private final List<RedisURI> sentinels;

	private final String masterName;

	private final Duration timeout;

	private final List<Consumer<Node>> listeners = new CopyOnWriteArrayList<>();

	/** By sentinel address. */
	private final Map<String, StatefulRedisPubSubConnection<String, String>> subscriptions = new ConcurrentHashMap<>();

	private final AtomicBoolean asking = new AtomicBoolean();

	private final ScheduledExecutorService poller;

	private volatile Node current;

	private volatile Switch lastSwitch;

	/**
	 * Finds the master and starts following it. If no sentinel answers yet, the service
	 * starts anyway, as it does without a standalone Redis: the sentinels are asked every
	 * second, and requests answer 503 until one names the master.
	 * @param client a client for the sentinel connections (no transactions run on them,
	 * so Lettuce's reconnecting defaults suit them), shut down when this is closed
	 * @param sentinels the sentinels, with their credentials
	 * @param masterName the name Sentinel monitors the master under
	 * @param timeout the bound of asking one sentinel
	 */
	public SentinelMasters(RedisClient client, List<RedisURI> sentinels, String masterName, Duration timeout) {
		this.client = client;
		this.sentinels = List.copyOf(sentinels);
		this.masterName = masterName;
		this.timeout = timeout;
		this.current = ask();
		if (this.current == null) {
			logger.warn("None of the sentinels {} names a master '{}' yet (are spring.data.redis.sentinel.nodes and "
					+ ".master right?); asking again every second", sentinels, masterName);
		}
		subscribe();
		this.poller = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sentinel-master-poller");
			thread.setDaemon(true);
			return thread;
		});
		this.poller.scheduleWithFixedDelay(this::poll, POLL_EVERY.toMillis(), POLL_EVERY.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public Node masterFor(String key) {
		Node master = this.current;
		if (master == null) {
			throw new StockUnavailableException("No sentinel has named the master '" + this.masterName + "' yet", null);
		}
		return master;
	}

	@Override
	public boolean isCurrent(Node node) {
		return node.equals(this.current);
	}

	/**
	 * Asks the sentinels now, in the background. While one asking is under way, another
	 * request to ask is one too many: its answer would be the same.
	 */
	@Override
	public void refresh() {
		if (this.asking.compareAndSet(false, true)) {
			try {
				this.poller.execute(() -> {
					try {
						askAndFollow();
					}
					finally {
						this.asking.set(false);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// Closed.
				this.asking.set(false);
			}
		}
	}

	private void askAndFollow() {
		Node named = ask();
		if (named != null) {
			switchTo(named, "a sentinel named it");
		}
	}

	@Override
	public List<Node> all() {
		Node master = this.current;
		return (master != null) ? List.of(master) : List.of();
	}

	@Override
	public void onRetired(Consumer<Node> listener) {
		this.listeners.add(listener);
	}

	/** The last switch this instance followed, or {@code null}; for health details. */
	public Switch lastSwitch() {
		return this.lastSwitch;
	}

	private void poll() {
		try {
			askAndFollow();
			if (this.subscriptions.size() < this.sentinels.size()) {
				subscribe();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Asking the sentinels failed", ex);
		}
	}

	/** The master the first sentinel that answers names, or {@code null}. */
	private Node ask() {
		for (RedisURI sentinel : this.sentinels) {
			try (StatefulRedisSentinelConnection<String, String> connection = this.client
				.connectSentinel(StringCodec.UTF8, sentinel)) {
				connection.setTimeout(this.timeout);
				SocketAddress address = connection.sync().getMasterAddrByName(this.masterName);
				if (address instanceof InetSocketAddress inet) {
					return new Node(inet.getHostString(), inet.getPort());
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Sentinel {} did not answer", sentinel, ex);
			}
		}
		return null;
	}

	/**
	 * Subscribes to every sentinel not subscribed to yet. Lettuce reconnects a
	 * subscription that drops and subscribes it again by itself.
	 */
	private synchronized void subscribe() {
		for (RedisURI sentinel : this.sentinels) {
			String id = sentinel.getHost() + ":" + sentinel.getPort();
			if (this.subscriptions.containsKey(id)) {
				continue;
			}
			try {
				StatefulRedisPubSubConnection<String, String> connection = this.client.connectPubSub(StringCodec.UTF8,
						sentinel);
				connection.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void message(String channel, String message) {
						onSwitchMessage(message);
					}

				});
				connection.setTimeout(this.timeout);
				connection.sync().subscribe(SWITCH_MASTER);
				this.subscriptions.put(id, connection);
			}
			catch (RuntimeException ex) {
				logger.debug("Cannot subscribe to sentinel {}", sentinel, ex);
			}
		}
	}

	/** {@code <master name> <old ip> <old port> <new ip> <new port>} */
	private void onSwitchMessage(String message) {
		String[] parts = message.split(" ");
		if (parts.length == 5 && parts[0].equals(this.masterName)) {
			switchTo(new Node(parts[3], Integer.parseInt(parts[4])), SWITCH_MASTER);
		}
	}

	private void switchTo(Node master, String why) {
		Node old;
		synchronized (this) {
			old = this.current;
			if (master.equals(old)) {
				return;
			}
			this.current = master;
			if (old == null) {
				logger.info("Redis master '{}' is {}", this.masterName, master);
				return;
			}
			this.lastSwitch = new Switch(old, master, Instant.now(), why);
		}
		logger.warn("Redis master '{}' is now {} (was {}): {}; no new transaction goes to {}", this.masterName, master,
				old, why, old);
		this.listeners.forEach((listener) -> listener.accept(old));
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
		this.subscriptions.values().forEach(StatefulRedisPubSubConnection::close);
		this.client.shutdown();
	}

	/**
	 * A switch of master this instance followed.
	 *
	 * @param from the old master
	 * @param to the new master
	 * @param at when this instance switched
	 * @param why what told it
	 */
	public record Switch(Node from, Node to, Instant at, String why) {
	}

}
