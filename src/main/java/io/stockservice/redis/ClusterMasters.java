package io.stockservice.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.stockservice.stock.StockUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The masters of a Redis Cluster and the hash slots each serves, as Lettuce's cluster
 * client reads them ({@code CLUSTER NODES} of the seed nodes).
 * <p>
 * Lettuce's cluster connections route single commands, but a transaction is connection
 * state (WATCH, MULTI) that must stay on one node: so the service uses Lettuce only for
 * the topology, and runs each transaction on a connection of its own to the master of its
 * slot (see {@link TransactionConnections}). The topology is read again every few
 * seconds, and at once when a command is redirected (MOVED) or a master turned replica
 * (READONLY) after a failover.
 */
public final class ClusterMasters implements Masters {

	private static final Logger logger = LoggerFactory.getLogger(ClusterMasters.class);

	private static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

	/** Redirects come in bursts; one reading of the topology serves them all. */
	private static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(50);

	private final RedisClusterClient client;

	private final List<Consumer<Node>> listeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private final ScheduledExecutorService refresher;

	private volatile Set<Node> masters;

	private volatile long refreshedAt;

	/**
	 * Reads the topology and keeps it up to date. If no seed node answers yet, the
	 * service starts anyway, as it does without a standalone Redis: requests answer 503
	 * until the topology has been read.
	 * @param client a cluster client on the seed nodes, with their credentials, shut down
	 * when this is closed
	 */
	public ClusterMasters(RedisClusterClient client) {
		this.client = client;
		this.masters = Set.of();
		try {
			this.masters = masters(client.getPartitions());
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read the Redis Cluster topology yet ({}); trying again", ex.getMessage());
		}
		this.refreshedAt = System.nanoTime();
		this.refresher = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "cluster-topology-refresh");
			thread.setDaemon(true);
			return thread;
		});
		this.refresher.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_EVERY.toMillis(), REFRESH_EVERY.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public Node masterFor(String key) {
		if (this.masters.isEmpty()) {
			refresh();
			throw new StockUnavailableException("The Redis Cluster topology has not been read yet", null);
		}
		RedisClusterNode master = this.client.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
		if (master == null) {
			refresh();
			throw new StockUnavailableException("No master serves the hash slot of " + key, null);
		}
		return node(master);
	}

	@Override
	public int slot(String key) {
		return SlotHash.getSlot(key);
	}

	@Override
	public boolean isCurrent(Node node) {
		return this.masters.contains(node);
	}

	/**
	 * Reads the topology again, in the background; requests to do so while a reading is
	 * under way, or within {@link #MIN_REFRESH_INTERVAL} of the last, are served by it.
	 */
	@Override
	public void refresh() {
		if (System.nanoTime() - this.refreshedAt < MIN_REFRESH_INTERVAL.toNanos()
				|| !this.refreshing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.refresher.execute(() -> {
				try {
					read();
				}
				finally {
					this.refreshing.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// Closed.
			this.refreshing.set(false);
		}
	}

	private void read() {
		if (this.masters.isEmpty()) {
			// Not read yet: getPartitions() reads it the first time, refreshPartitions()
			// only once it was.
			this.client.getPartitions();
		}
		this.client.refreshPartitions();
		this.refreshedAt = System.nanoTime();
		Set<Node> now = masters(this.client.getPartitions());
		Set<Node> retired = new HashSet<>(this.masters);
		retired.removeAll(now);
		this.masters = now;
		for (Node node : retired) {
			logger.warn("Redis Cluster node {} is no longer a master; no new transaction goes to it", node);
			this.listeners.forEach((listener) -> listener.accept(node));
		}
	}

	private void refreshQuietly() {
		try {
			read();
		}
		catch (RuntimeException ex) {
			logger.debug("Reading the cluster topology failed", ex);
		}
	}

	@Override
	public List<Node> all() {
		return List.copyOf(this.masters);
	}

	@Override
	public void onRetired(Consumer<Node> listener) {
		this.listeners.add(listener);
	}

	private static Set<Node> masters(Partitions partitions) {
		Set<Node> masters = new HashSet<>();
		for (RedisClusterNode node : partitions) {
			if (node.getRole().isMaster() && !node.getSlots().isEmpty() && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
				masters.add(node(node));
			}
		}
		return masters;
	}

	private static Node node(RedisClusterNode node) {
		return new Node(node.getUri().getHost(), node.getUri().getPort());
	}

	@Override
	public void close() {
		this.refresher.shutdownNow();
		this.client.shutdown();
	}

}
