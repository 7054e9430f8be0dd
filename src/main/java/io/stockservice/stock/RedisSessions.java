package io.stockservice.stock;

/**
 * Where a caller gets a {@link RedisSession} of its own: the service's pool of Lettuce
 * connections, or a load-generator worker's one blocking connection.
 */
public interface RedisSessions extends AutoCloseable {

	/**
	 * Leases a session, waiting for one to come free until the deadline.
	 * @param deadline when to give up waiting
	 * @return a session for one caller, to be closed after use
	 * @throws DeadlineExceededException if none came free in time
	 * @throws StockUnavailableException if no connection to Redis could be made
	 */
	RedisSession acquire(Deadline deadline);

	/** Sessions currently leased; for metrics, tests and diagnostics. */
	int leased();

	@Override
	void close();

}
