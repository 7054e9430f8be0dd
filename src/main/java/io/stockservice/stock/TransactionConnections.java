package io.stockservice.stock;

import java.time.Duration;
import java.util.NoSuchElementException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * A bounded pool of connections that each serve one transaction at a time.
 * <p>
 * WATCH and MULTI are state of a Redis <em>connection</em>: on Lettuce's shared,
 * multiplexed connection, another thread's command would land inside our MULTI, or
 * another thread's EXEC would clear our WATCH. So every transaction leases a connection
 * of its own and gives it back in a known state: EXEC or UNWATCH ended its WATCH; or,
 * with read-ahead, the WATCH and read sent behind its EXEC are recorded on the connection
 * for its next user to continue from or drop (see {@link WatchReduceStrategy}); or the
 * connection is closed, which ends every WATCH and MULTI on the server's side.
 */
public final class TransactionConnections implements RedisSessions {

	private final GenericObjectPool<PooledConnection> pool;

	public TransactionConnections(RedisClient client, RedisURI uri, int maxConnections) {
		GenericObjectPoolConfig<PooledConnection> config = new GenericObjectPoolConfig<>();
		config.setMaxTotal(maxConnections);
		config.setMaxIdle(maxConnections);
		config.setMinIdle(0);
		// A connection closed by a fault is never handed out again (and, without
		// auto-reconnect, never comes back by itself); a fresh one is made instead.
		config.setTestOnBorrow(true);
		config.setJmxEnabled(false);
		this.pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {

			@Override
			public PooledConnection create() {
				return new PooledConnection(connect(client, uri));
			}

			@Override
			public PooledObject<PooledConnection> wrap(PooledConnection connection) {
				return new DefaultPooledObject<>(connection);
			}

			@Override
			public boolean validateObject(PooledObject<PooledConnection> pooled) {
				return pooled.getObject().connection().isOpen();
			}

			@Override
			public void destroyObject(PooledObject<PooledConnection> pooled) {
				// Waits for the close: a client shut down right after the pool would
				// otherwise find the connection still registered and close it again.
				pooled.getObject().connection().close();
			}

		}, config);
	}

	/**
	 * The client options that make a reduction safe across connection faults.
	 * <p>
	 * By default Lettuce reconnects a dropped connection and replays the commands that
	 * had not been answered (lettuce#695). For a transaction that is unsafe twice over: a
	 * replayed DECRBY may run outside its MULTI, and a MULTI/EXEC sent on the reconnected
	 * socket runs without the WATCH that the old socket held, so it would commit a
	 * decision taken on a stale read. With auto-reconnect off, a connection that drops
	 * stays closed: its in-flight commands fail, no command is ever sent twice, and the
	 * pool replaces it with a new connection on which the next attempt starts again from
	 * WATCH. Commands issued on a closed connection are rejected at once instead of being
	 * queued for a reconnect that never comes.
	 * @param connectTimeout how long to wait for a TCP connection to Redis
	 * @return options for the client whose connections the pool holds, to which TLS
	 * settings may still be added
	 */
	public static ClientOptions.Builder clientOptions(Duration connectTimeout) {
		return ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build());
	}

	private static StatefulRedisConnection<String, String> connect(RedisClient client, RedisURI uri) {
		StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
		// Commands are written when a pipeline is complete (see LettuceSession), one
		// write per round trip.
		connection.setAutoFlushCommands(false);
		return connection;
	}

	/**
	 * Leases a connection, waiting for one to come free until the deadline.
	 * @param deadline when to give up waiting
	 * @return a connection for one caller, to be closed after use
	 * @throws DeadlineExceededException if no connection came free in time
	 * @throws StockUnavailableException if no connection to Redis could be made
	 */
	@Override
	public RedisSession acquire(Deadline deadline) {
		try {
			return new LettuceSession(this, this.pool.borrowObject(deadline.remaining()));
		}
		catch (NoSuchElementException ex) {
			throw new DeadlineExceededException("No Redis connection came free before the deadline", ex);
		}
		catch (RuntimeException ex) {
			throw new StockUnavailableException("Cannot connect to Redis", ex);
		}
		catch (Exception ex) {
			throw new StockUnavailableException("Cannot lease a Redis connection", ex);
		}
	}

	void release(PooledConnection connection, boolean broken) {
		if (broken) {
			try {
				this.pool.invalidateObject(connection);
			}
			catch (Exception ex) {
				connection.connection().closeAsync();
			}
		}
		else {
			this.pool.returnObject(connection);
		}
	}

	@Override
	public int leased() {
		return this.pool.getNumActive();
	}

	/** Open connections waiting in the pool for a caller. */
	public int idle() {
		return this.pool.getNumIdle();
	}

	/** The most connections the pool opens at once. */
	public int maxConnections() {
		return this.pool.getMaxTotal();
	}

	/** Connections opened since start. */
	public long opened() {
		return this.pool.getCreatedCount();
	}

	/**
	 * Connections closed since start: each one Redis failed or timed out on, or that was
	 * found closed when leased (there is no idle eviction).
	 */
	public long closed() {
		return this.pool.getDestroyedCount();
	}

	@Override
	public void close() {
		this.pool.close();
	}

	/**
	 * A pooled connection, and the read that its last transaction may have sent ahead for
	 * the next one (see {@link WatchReduceStrategy}). Used by one lease at a time.
	 */
	static final class PooledConnection {

		private final StatefulRedisConnection<String, String> connection;

		private Object readAhead;

		PooledConnection(StatefulRedisConnection<String, String> connection) {
			this.connection = connection;
		}

		StatefulRedisConnection<String, String> connection() {
			return this.connection;
		}

		Object takeReadAhead() {
			Object taken = this.readAhead;
			this.readAhead = null;
			return taken;
		}

		void readAhead(Object read) {
			this.readAhead = read;
		}

	}

}
