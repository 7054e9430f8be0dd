package io.stockservice.stock;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * One caller's use of a pooled connection. Commands are queued on {@link #commands()} and
 * written together by {@link #await}, so that a pipeline costs one round trip.
 * <p>
 * When Redis does not answer before the deadline, or the connection fails, the lease is
 * marked broken and the connection is closed on release rather than reused. Its state on
 * the server is then unknown (is a MULTI open? did EXEC run?), and closing is the one
 * step that settles it: Redis discards the MULTI and every WATCH of a client that
 * disconnects.
 */
public final class Lease implements AutoCloseable {

	private final TransactionConnections owner;

	private final TransactionConnections.PooledConnection pooled;

	private final StatefulRedisConnection<String, String> connection;

	private boolean broken;

	Lease(TransactionConnections owner, TransactionConnections.PooledConnection pooled) {
		this.owner = owner;
		this.pooled = pooled;
		this.connection = pooled.connection();
	}

	public RedisAsyncCommands<String, String> commands() {
		return this.connection.async();
	}

	/**
	 * Writes the queued commands and waits until each of the given replies has arrived.
	 * @param deadline when to stop waiting
	 * @param replies the replies to wait for
	 * @throws RedisCommandExecutionException if Redis answered one of them with an error;
	 * the connection stays usable
	 * @throws StockUnavailableException if Redis did not answer them all in time, or the
	 * connection failed
	 */
	public void await(Deadline deadline, RedisFuture<?>... replies) {
		this.connection.flushCommands();
		RedisCommandExecutionException refused = null;
		for (RedisFuture<?> reply : replies) {
			try {
				reply.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RedisCommandExecutionException commandError) {
					// An error reply (WRONGTYPE, NOSCRIPT, ...): later replies still
					// arrive in order.
					refused = (refused != null) ? refused : commandError;
				}
				else {
					throw broken("The Redis connection failed", ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				throw broken("Redis did not answer before the deadline", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw broken("Interrupted while waiting for Redis", ex);
			}
		}
		if (refused != null) {
			throw refused;
		}
	}

	/** Like {@link #await(Deadline, RedisFuture...)}, for a pipeline built as a list. */
	public void await(Deadline deadline, List<RedisFuture<?>> replies) {
		await(deadline, replies.toArray(new RedisFuture<?>[0]));
	}

	/** The value of a reply that {@link #await} has seen arrive. */
	public static <T> T valueOf(RedisFuture<T> reply) {
		CompletableFuture<T> future = reply.toCompletableFuture();
		if (!future.isDone()) {
			throw new IllegalStateException("The reply has not been awaited");
		}
		return future.join();
	}

	private StockUnavailableException broken(String message, Throwable cause) {
		this.broken = true;
		return new StockUnavailableException(message, cause);
	}

	/**
	 * Closes the connection instead of reusing it; for callers that leave it in doubt.
	 */
	public void discard() {
		this.broken = true;
	}

	/**
	 * Takes the read that the connection's previous transaction sent ahead, if any: a
	 * WATCH is then still active on the connection.
	 */
	Object takeReadAhead() {
		return this.pooled.takeReadAhead();
	}

	/** Leaves a read sent ahead (and its WATCH) on the connection, for its next user. */
	void readAhead(Object read) {
		this.pooled.readAhead(read);
	}

	@Override
	public void close() {
		this.owner.release(this.pooled, this.broken);
	}

}
