package io.stockservice.stock;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * One plain, blocking connection to Redis (Jedis) for one single-threaded client: a
 * load-generator worker, which is one client per process like the article's redis-py
 * clients.
 * <p>
 * The service's Lettuce connections do their I/O on Netty's event loop, so every round
 * trip hands a command from the calling thread to the loop and the reply back: measured
 * on two cores, that costs a worker 70 to 130 µs of CPU per round trip, and ten workers
 * spend more on hand-offs than Redis spends on the commands. A blocking socket writes and
 * reads on the calling thread. The reduce algorithm is the same either way: both speak
 * {@link RedisSession}.
 * <p>
 * Jedis never resends a command after a failure: a connection that fails is closed, and
 * the next session connects afresh, as the service's pool does.
 */
public final class BlockingRedisConnection implements RedisSessions {

	private final HostAndPort address;

	private final JedisClientConfig config;

	private final Semaphore free = new Semaphore(1);

	private Connection connection;

	private BlockingRedisConnection(HostAndPort address, JedisClientConfig config) {
		this.address = address;
		this.config = config;
	}

	/**
	 * @param uri a {@code redis://} or {@code rediss://} URI, with password and database
	 * if need be
	 * @param timeout the bound of connecting
	 * @param clientName the name Redis shows for the connection in {@code CLIENT LIST}
	 */
	public static BlockingRedisConnection to(String uri, Duration timeout, String clientName) {
		return to(RedisURI.create(uri), timeout, clientName);
	}

	/**
	 * @param redis where Redis is, with password and database if need be
	 * @param timeout the bound of connecting
	 * @param clientName the name Redis shows for the connection in {@code CLIENT LIST}
	 */
	public static BlockingRedisConnection to(RedisURI redis, Duration timeout, String clientName) {
		DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
			.connectionTimeoutMillis((int) timeout.toMillis())
			.socketTimeoutMillis((int) timeout.toMillis())
			.database(redis.getDatabase())
			.clientName(clientName)
			.ssl(redis.isSsl());
		RedisCredentials credentials = redis.getCredentialsProvider().resolveCredentials().block();
		if (credentials != null && credentials.hasPassword()) {
			config.user(credentials.getUsername()).password(new String(credentials.getPassword()));
		}
		return new BlockingRedisConnection(new HostAndPort(redis.getHost(), redis.getPort()), config.build());
	}

	/** One connection to one Redis: the key does not choose anything. */
	@Override
	public RedisSession acquire(String key, Deadline deadline) {
		try {
			if (!this.free.tryAcquire(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
				throw new DeadlineExceededException("The Redis connection did not come free before the deadline", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DeadlineExceededException("Interrupted while waiting for the Redis connection", ex);
		}
		try {
			if (this.connection == null || this.connection.isBroken() || !this.connection.isConnected()) {
				closeConnection();
				this.connection = new Connection(this.address, this.config);
			}
			return new JedisSession(this.connection, this::release);
		}
		catch (RuntimeException ex) {
			closeConnection();
			this.free.release();
			throw new StockUnavailableException("Cannot connect to Redis at " + this.address, ex);
		}
	}

	@Override
	public int leased() {
		return 1 - this.free.availablePermits();
	}

	private void release(boolean broken) {
		if (broken) {
			closeConnection();
		}
		this.free.release();
	}

	private void closeConnection() {
		if (this.connection != null) {
			try {
				this.connection.close();
			}
			catch (RuntimeException ex) {
				// Already gone.
			}
			this.connection = null;
		}
	}

	@Override
	public void close() {
		closeConnection();
	}

}
