package io.stockservice.redis;

import java.util.List;
import java.util.function.Consumer;

/**
 * Which Redis server serves a key as master, as far as this instance knows: one fixed
 * server, the master a Sentinel names, or the master a Redis Cluster assigns the key's
 * hash slot to. Transactions run only on masters, on connections of their own (see
 * {@link TransactionConnections}); this says where.
 */
public interface Masters extends AutoCloseable {

	/** The master serving the key now. */
	Node masterFor(String key);

	/** The key's Redis Cluster hash slot, 0 where there is no cluster. */
	default int slot(String key) {
		return 0;
	}

	/**
	 * Whether the node is still a master this instance may start transactions on. A
	 * connection made to one that is not (a master that Sentinel replaced, a cluster
	 * master turned replica) is closed rather than used again.
	 */
	boolean isCurrent(Node node);

	/**
	 * A session found that a node does not serve a key as a master (MOVED, READONLY) or
	 * could not reach it: learn the topology again now, rather than at the next periodic
	 * refresh. Returns at once: the caller is a request within its deadline, and asking
	 * the topology may take as long as a server takes to time out; the answer serves the
	 * next lease.
	 */
	void refresh();

	/** Every master known now, e.g. for health and metrics. */
	List<Node> all();

	/**
	 * Tells the listener of each node that stops being a master, as soon as this instance
	 * learns of it.
	 */
	void onRetired(Consumer<Node> listener);

	@Override
	void close();

}
