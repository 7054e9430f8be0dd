package io.stockservice.redis;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.DeadlineExceededException;
import io.stockservice.stock.RedisErrorReply;
import io.stockservice.stock.RedisSession;
import io.stockservice.stock.RedisSessions;
import io.stockservice.stock.StockUnavailableException;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * Bounded pools of connections, one pool per master, each connection serving one
 * transaction at a time.
 * <p>
 * WATCH and MULTI are state of a Redis <em>connection</em>: on Lettuce's shared,
 * multiplexed connection, another thread's command would land inside our MULTI, or
 * another thread's EXEC would clear our WATCH. So every transaction leases a connection
 * of its own, to the master that serves its keys ({@link Masters}), and gives it back in
 * a known state: EXEC or UNWATCH ended its WATCH, or the connection is closed, which ends
 * every WATCH and MULTI on the server's side.
 * <p>
 * A connection is made only to a node that answers {@code ROLE} as a master, and one to a
 * node that stopped being a master is closed instead of leased again: after a failover,
 * no transaction starts on the old master. Making a connection is bounded by what is left
 * of the caller's deadline, like every wait after it.
 */
public final class TransactionConnections implements RedisSessions {

	private final Masters masters;

	private final int maxConnections;

	private final MasterConnectionFactory factory;

	private final GenericKeyedObjectPool<Node, PooledConnection> pool;

	/**
	 * @param client the client whose options the connections have (see
	 * {@link #clientOptions})
	 * @param template credentials, TLS, database, client name and timeout of every
	 * connection; its host and port are replaced by each master's
	 * @param masters where each key's master is
	 * @param maxConnections the most connections to one master at once
	 */
	public TransactionConnections(RedisClient client, RedisURI template, Masters masters, int maxConnections) {
		this.masters = masters;
		this.factory = new MasterConnectionFactory(client, template, masters);
		this.maxConnections = maxConnections;
		GenericKeyedObjectPoolConfig<PooledConnection> config = new GenericKeyedObjectPoolConfig<>();
		config.setMaxTotalPerKey(maxConnections);
		config.setMaxIdlePerKey(maxConnections);
		config.setMaxTotal(-1);
		config.setMinIdlePerKey(0);
		// A connection closed by a fault is never handed out again (and, without
		// auto-reconnect, never comes back by itself); nor is one to a former master.
		config.setTestOnBorrow(true);
		config.setJmxEnabled(false);
		this.pool = new GenericKeyedObjectPool<>(this.factory, config);
		// Idle connections to a master that was replaced are closed at once.
		masters.onRetired(this.pool::clear);
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
	 * @return options for the client whose connections the pools hold, to which TLS
	 * settings may still be added
	 */
	public static ClientOptions.Builder clientOptions(Duration connectTimeout) {
		return ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build());
	}

	@Override
	public RedisSession acquire(String key, Deadline deadline) {
		for (;;) {
			Node master = this.masters.masterFor(key);
			MasterConnectionFactory.leasing(deadline);
			try {
				return new LettuceSession(this, master, this.pool.borrowObject(master, deadline.remaining()));
			}
			catch (NoSuchElementException ex) {
				throw new DeadlineExceededException("No Redis connection came free before the deadline", ex);
			}
			catch (MasterConnectionFactory.NotMasterException ex) {
				// A failover is under way and this instance has not heard of it yet: ask,
				// and try the master named now while the deadline allows.
				this.masters.refresh();
				if (deadline.expired()) {
					throw new StockUnavailableException("No master of the key " + key + " answered in time", ex);
				}
				pause();
			}
			catch (StockUnavailableException ex) {
				failed(master);
				throw ex;
			}
			catch (Exception ex) {
				failed(master);
				throw new StockUnavailableException("Cannot connect to Redis at " + master, ex);
			}
			finally {
				MasterConnectionFactory.leased();
			}
		}
	}

	@Override
	public int slot(String key) {
		return this.masters.slot(key);
	}

	@Override
	public void redirected(String key, RedisErrorReply error) {
		this.masters.refresh();
	}

	/** A connection failed: the node may be down, and a failover under way. */
	void failed(Node node) {
		if (!this.masters.isCurrent(node)) {
			return;
		}
		this.masters.refresh();
	}

	void release(Node node, PooledConnection connection, boolean broken) {
		if (broken || !this.masters.isCurrent(node)) {
			try {
				this.pool.invalidateObject(node, connection);
			}
			catch (Exception ex) {
				connection.connection().closeAsync();
			}
		}
		else {
			this.pool.returnObject(node, connection);
		}
	}

	@Override
	public int leased() {
		return this.pool.getNumActive();
	}

	/** Open connections waiting in the pools for a caller. */
	public int idle() {
		return this.pool.getNumIdle();
	}

	/** The most connections to one master at once. */
	public int maxConnections() {
		return this.maxConnections;
	}

	/** Connections opened since start. */
	public long opened() {
		return this.pool.getCreatedCount();
	}

	/**
	 * Connections closed since start: each one Redis failed or timed out on, one to a
	 * former master, or one found closed when leased (there is no idle eviction).
	 */
	public long closed() {
		return this.pool.getDestroyedCount();
	}

	/** The masters transactions run on now. */
	public List<Node> masters() {
		return this.masters.all();
	}

	/**
	 * Closes every connection and waits for the closes, so that a client shut down right
	 * after finds none still registered (it would close them again, and warn).
	 */
	@Override
	public void close() {
		this.pool.close();
		this.factory.awaitClosed(Duration.ofSeconds(5));
	}

	private static void pause() {
		try {
			Thread.sleep(10);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StockUnavailableException("Interrupted while waiting for a master", ex);
		}
	}

	/** A pooled connection, used by one lease at a time. */
	record PooledConnection(StatefulRedisConnection<String, String> connection) {
	}

}
