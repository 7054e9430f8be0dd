package io.stockservice.stock;

/**
 * Where a caller gets a {@link RedisSession} of its own: the service's pools of Lettuce
 * connections (one per master), or a load-generator worker's one blocking connection.
 */
public interface RedisSessions extends AutoCloseable {

	/**
	 * Leases a session on the master that serves the key, waiting for a connection to
	 * come free (or to be made) until the deadline.
	 * @param key a key the session's commands are about; on a Redis Cluster, every key a
	 * transaction touches must lie in this key's hash slot
	 * @param deadline when to give up waiting
	 * @return a session for one caller, to be closed after use
	 * @throws DeadlineExceededException if none came free in time
	 * @throws StockUnavailableException if no connection to Redis could be made
	 */
	RedisSession acquire(String key, Deadline deadline);

	/**
	 * The Redis Cluster hash slot of the key, or 0 where there is no cluster: keys of one
	 * slot can be in one transaction (or one script) together, keys of two cannot.
	 */
	default int slot(String key) {
		return 0;
	}

	/**
	 * A session found that its node does not serve the key as a master (MOVED, READONLY):
	 * read the topology again before the next {@link #acquire}.
	 */
	default void redirected(String key, RedisErrorReply error) {
	}

	/** Sessions currently leased; for metrics, tests and diagnostics. */
	int leased();

	@Override
	void close();

}
