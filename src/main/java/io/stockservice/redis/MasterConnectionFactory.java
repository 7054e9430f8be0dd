package io.stockservice.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.stockservice.redis.TransactionConnections.PooledConnection;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.StockUnavailableException;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/**
 * Makes the connections of {@link TransactionConnections}: to a master, checked to be one
 * ({@code ROLE}), within what is left of the deadline of the lease that needs it; and
 * closes them without making a request wait.
 */
final class MasterConnectionFactory extends BaseKeyedPooledObjectFactory<Node, PooledConnection> {

	/**
	 * The deadline of the lease that is making a connection: commons-pool calls the
	 * factory on the leasing thread, but has no way to hand it the caller's deadline.
	 */
	private static final ThreadLocal<Deadline> LEASE_DEADLINE = new ThreadLocal<>();

	private final RedisClient client;

	private final RedisURI template;

	private final Masters masters;

	/** Connections being closed, waited for when the pools close. */
	private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();

	MasterConnectionFactory(RedisClient client, RedisURI template, Masters masters) {
		this.client = client;
		this.template = template;
		this.masters = masters;
	}

	/** The calling thread is about to lease a connection within the deadline. */
	static void leasing(Deadline deadline) {
		LEASE_DEADLINE.set(deadline);
	}

	/** The calling thread's lease is over, connection or not. */
	static void leased() {
		LEASE_DEADLINE.remove();
	}

	@Override
	public PooledConnection create(Node node) throws Exception {
		Deadline deadline = LEASE_DEADLINE.get();
		RedisURI uri = RedisURI.builder(this.template).withHost(node.host()).withPort(node.port()).build();
		ConnectionFuture<StatefulRedisConnection<String, String>> connecting = this.client
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
	 * ROLE before the first transaction: a node that Sentinel or the cluster demoted may
	 * still be named master here for a moment, and may even accept writes that it will
	 * throw away.
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
		return pooled.getObject().connection().isOpen() && this.masters.isCurrent(node);
	}

	/**
	 * Closes without waiting: the caller is a request that must answer within its
	 * deadline, and a close waits for Lettuce's event loop, which may be busy with every
	 * other connection's failure at the same moment. {@link #close()} waits for the
	 * closes still under way.
	 */
	@Override
	public void destroyObject(Node node, PooledObject<PooledConnection> pooled) {
		CompletableFuture<Void> closing = pooled.getObject().connection().closeAsync();
		this.closing.add(closing);
		closing.whenComplete((done, failure) -> this.closing.remove(closing));
	}

	/** Waits for the closes under way, at most the given time. */
	void awaitClosed(Duration timeout) {
		try {
			CompletableFuture.allOf(this.closing.toArray(new CompletableFuture<?>[0]))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Closing is all that was left to do; a connection that did not close in time
			// is closed with its client.
		}
	}

	/** A node that answered ROLE as something other than a master. */
	static final class NotMasterException extends Exception {

		NotMasterException(String message) {
			super(message);
		}

	}

}
