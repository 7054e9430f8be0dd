package io.stockservice.stock;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One caller's connection to Redis, held for one transaction (or one call) and given back
 * with {@link #close()}. Commands are queued, and {@link #await} writes everything queued
 * together and waits for the replies it is given: one round trip per call.
 * <p>
 * The reduce algorithm speaks only this, so that it runs unchanged on the service's
 * pooled Lettuce connections ({@code io.stockservice.redis.TransactionConnections}) and
 * on the plain blocking connection of a load-generator worker
 * ({@link BlockingRedisConnection}).
 * <p>
 * When Redis does not answer before the deadline, or the connection fails, the session is
 * broken and its connection is closed on {@link #close()} rather than reused: its state
 * on the server is then unknown (is a MULTI open? did EXEC run?), and closing is the one
 * step that settles it, because Redis discards the MULTI and every WATCH of a client that
 * disconnects.
 */
public interface RedisSession extends AutoCloseable {

	Reply<String> watch(String... keys);

	Reply<String> unwatch();

	Reply<String> get(String key);

	/** The values of the keys, {@code null} for each key that does not exist. */
	Reply<List<String>> mget(List<String> keys);

	Reply<String> set(String key, String value);

	Reply<Long> del(String key);

	/**
	 * SET with NX and PX: writes the value only if the key does not exist.
	 * @return a reply whose value is whether the value was written
	 */
	Reply<Boolean> setIfAbsent(String key, String value, long ttlMillis);

	/**
	 * TIME: the server's clock, in milliseconds since the epoch. Decisions that depend on
	 * time (has a hold expired?) read it from the Redis that holds the data, so that the
	 * clocks of the service's instances do not matter.
	 */
	Reply<Long> time();

	/** HGETALL: every field of the hash, none if the key does not exist. */
	Reply<Map<String, String>> hgetall(String key);

	/**
	 * ZRANGE key 0 limit-1 WITHSCORES: the members of a sorted set with the lowest
	 * scores, lowest first, each followed by its score.
	 */
	Reply<List<Scored>> lowest(String key, int limit);

	/**
	 * MULTI, the commands the body queues, EXEC.
	 * @return a reply whose value is {@code null} if EXEC was aborted because a watched
	 * key changed, else the replies of the body's commands in order; if Redis refused a
	 * queued command (EXECABORT), its error is the error of that command (READONLY, OOM,
	 * MOVED...)
	 */
	Reply<List<Object>> transaction(Consumer<Transaction> body);

	/** EVALSHA of a script whose reply is an array of integers and strings. */
	Reply<List<Object>> evalsha(String sha1, List<String> keys, List<String> args);

	/** EVAL of a script whose reply is an array of integers and strings. */
	Reply<List<Object>> eval(String script, List<String> keys, List<String> args);

	/**
	 * WAIT: blocks until this connection's writes so far have reached the given number of
	 * replicas, or the timeout passed.
	 * @return a reply with the number of replicas that acknowledged them
	 */
	Reply<Long> waitForReplicas(int replicas, long timeoutMillis);

	/**
	 * Writes the queued commands and waits until each of the given replies has arrived.
	 * An error reply does not end the wait; reading its {@link Reply#value()} throws it.
	 * @param deadline when to stop waiting
	 * @param replies the replies to wait for (the replies of commands queued before them
	 * arrive first)
	 * @throws StockUnavailableException if Redis did not answer them all in time, or the
	 * connection failed; the session is then broken
	 */
	void await(Deadline deadline, List<? extends Reply<?>> replies);

	/**
	 * {@link #await} the replies, and fail on the first that is an error.
	 * @throws RedisErrorReply if Redis answered one of them with an error; the connection
	 * stays usable
	 */
	default void send(Deadline deadline, List<? extends Reply<?>> replies) {
		await(deadline, replies);
		for (Reply<?> reply : replies) {
			RedisErrorReply error = reply.error();
			if (error != null) {
				throw error;
			}
		}
	}

	default void send(Deadline deadline, Reply<?>... replies) {
		send(deadline, List.of(replies));
	}

	/**
	 * Closes the connection when the session ends instead of giving it back: its state is
	 * not to be trusted (a write not acknowledged by replicas, a connection to a node
	 * that is no longer the master).
	 */
	void discard();

	/** Gives the connection back, or closes it if the session is broken. */
	@Override
	void close();

	/** A member of a sorted set and its score. */
	record Scored(String member, double score) {
	}

	/** The commands a {@link #transaction} may hold. */
	interface Transaction {

		void decrby(String key, long amount);

		void setPx(String key, String value, long ttlMillis);

		/** SET of an existing key, its TTL kept: a write that changes nothing. */
		void rewrite(String key, String value);

		void incrby(String key, long amount);

		/**
		 * GET inside the transaction: its value in EXEC's replies (or the error, for a
		 * key of another type), read at the same instant as the others'.
		 */
		void get(String key);

		void del(String key);

		/** HSET of the fields, in the order given. */
		void hset(String key, Map<String, String> fields);

		void pexpire(String key, long ttlMillis);

	}

}
