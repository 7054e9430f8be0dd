package io.stockservice.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.DeadlineExceededException;
import io.stockservice.stock.RedisErrorReply;
import io.stockservice.stock.RedisSession;
import io.stockservice.stock.RedisSessions;
import io.stockservice.stock.StockUnavailableException;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
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

	/**
	 * The deadline of the lease that is making a connection: commons-pool calls the
	 * factory on the leasing thread, but has no way to hand it the caller's deadline.
	 */
	private static final ThreadLocal<Deadline> LEASE_DEADLINE = new ThreadLocal<>();

	private final RedisClient client;

	private final RedisURI template;

	private final Masters masters;

	private final int maxConnections;

	private final GenericKeyedObjectPool<Node, PooledConnection> pool;

	/** Connections being closed, waited for when the pools close. */
	private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();

	/**
	 * @param client the client whose options the connections have (see
	 * {@link #clientOptions})
	 * @param template credentials, TLS, database, client name and timeout of every
	 * connection; its host and port are replaced by each master's
	 * @param masters where each key's master is
	 * @param maxConnections the most connections to one master at once
	 */
	public TransactionConnections(RedisClient client, RedisURI template, Masters masters, int maxConnections) {
		this.client = client;
		this.template = template;
		this.masters = masters;
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
		this.pool = new GenericKeyedObjectPool<>(new Factory(), config);
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
			LEASE_DEADLINE.set(deadline);
			try {
				return new LettuceSession(this, master, this.pool.borrowObject(master, deadline.remaining()));
			}
			catch (NoSuchElementException ex) {
				throw new DeadlineExceededException("No Redis connection came free before the deadline", ex);
			}
			catch (NotMasterException ex) {
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
				LEASE_DEADLINE.remove();
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
		try {
			CompletableFuture.allOf(this.closing.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Closing is all that was left to do; a connection that did not close in time
			// is closed with its client.
		}
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

	/** Makes a connection to a master, within the deadline of the lease that needs it. */
	private final class Factory extends BaseKeyedPooledObjectFactory<Node, PooledConnection> {

		@Override
		public PooledConnection create(Node node) throws Exception {
			Deadline deadline = LEASE_DEADLINE.get();
			RedisURI uri = RedisURI.builder(TransactionConnections.this.template)
				.withHost(node.host())
				.withPort(node.port())
				.build();
			ConnectionFuture<StatefulRedisConnection<String, String>> connecting = TransactionConnections.this.client
				.connectAsync(StringCodec.UTF8, uri);
			StatefulRedisConnection<String, String> connection;
			try {
				connection = connecting.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				// Not waited for any longer, but it may still come: close it when it
				// does.
				connecting.thenAccept(StatefulRedisConnection::closeAsync);
				throw new StockUnavailableException("Redis at " + node + " did not accept a connection in time", ex);
			}
			catch (ExecutionException ex) {
				throw new StockUnavailableException("Cannot connect to Redis at " + node, ex.getCause());
			}
			try {
				checkMaster(node, connection, deadline);
			}
			catch (Exception ex) {
				connection.closeAsync();
				throw ex;
			}
			// Commands are written when a pipeline is complete (see LettuceSession), one
			// write per round trip.
			connection.setAutoFlushCommands(false);
			return new PooledConnection(connection);
		}

		/**
		 * ROLE before the first transaction: a node that Sentinel or the cluster demoted
		 * may still be named master here for a moment, and may even accept writes that it
		 * will throw away.
		 */
		private void checkMaster(Node node, StatefulRedisConnection<String, String> connection, Deadline deadline)
				throws Exception {
			List<Object> role;
			try {
				role = connection.async().role().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new StockUnavailableException("Redis at " + node + " did not answer ROLE in time", ex);
			}
			if (role.isEmpty() || !"master".equals(String.valueOf(role.get(0)))) {
				throw new NotMasterException(node + " is a " + (role.isEmpty() ? "node of no role" : role.get(0)));
			}
		}

		private static long remainingNanos(Deadline deadline) {
			return (deadline != null) ? deadline.remaining().toNanos() : TimeUnit.SECONDS.toNanos(10);
		}

		@Override
		public PooledObject<PooledConnection> wrap(PooledConnection connection) {
			return new DefaultPooledObject<>(connection);
		}

		@Override
		public boolean validateObject(Node node, PooledObject<PooledConnection> pooled) {
			return pooled.getObject().connection().isOpen() && TransactionConnections.this.masters.isCurrent(node);
		}

		/**
		 * Closes without waiting: the caller is a request that must answer within its
		 * deadline, and a close waits for Lettuce's event loop, which may be busy with
		 * every other connection's failure at the same moment. {@link #close()} waits for
		 * the closes still under way.
		 */
		@Override
		public void destroyObject(Node node, PooledObject<PooledConnection> pooled) {
			CompletableFuture<Void> closing = pooled.getObject().connection().closeAsync();
			TransactionConnections.this.closing.add(closing);
			closing.whenComplete((done, failure) -> TransactionConnections.this.closing.remove(closing));
		}

	}

	/** A node that answered ROLE as something other than a master. */
	static final class NotMasterException extends Exception {

		NotMasterException(String message) {
			super(message);
		}

	}

	/** A pooled connection, used by one lease at a time. */
	record PooledConnection(StatefulRedisConnection<String, String> connection) {
	}

}
