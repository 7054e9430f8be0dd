package io.stockservice.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.RedisErrorReply;
import io.stockservice.stock.RedisSession;
import io.stockservice.stock.Reply;
import io.stockservice.stock.StockUnavailableException;

/**
 * A {@link RedisSession} on one of the service's pooled Lettuce connections. Lettuce's
 * async commands are queued on a connection whose auto-flush is off, and {@link #await}
 * flushes them in one write.
 */
final class LettuceSession implements RedisSession {

	private final TransactionConnections owner;

	private final Node node;

	private final TransactionConnections.PooledConnection pooled;

	private final RedisAsyncCommands<String, String> redis;

	private final StatefulRedisConnection<String, String> connection;

	private boolean broken;

	LettuceSession(TransactionConnections owner, Node node, TransactionConnections.PooledConnection pooled) {
		this.owner = owner;
		this.node = node;
		this.pooled = pooled;
		this.connection = pooled.connection();
		this.redis = this.connection.async();
	}

	@Override
	public Reply<String> watch(String... keys) {
		return reply(this.redis.watch(keys));
	}

	@Override
	public Reply<String> unwatch() {
		return reply(this.redis.unwatch());
	}

	@Override
	public Reply<String> get(String key) {
		return reply(this.redis.get(key));
	}

	@Override
	public Reply<List<String>> mget(List<String> keys) {
		return reply(this.redis.mget(keys.toArray(new String[0])),
				(values) -> values.stream().map((value) -> value.getValueOrElse(null)).toList());
	}

	@Override
	public Reply<String> set(String key, String value) {
		return reply(this.redis.set(key, value));
	}

	@Override
	public Reply<Long> del(String key) {
		return reply(this.redis.del(key));
	}

	@Override
	public Reply<Boolean> setIfAbsent(String key, String value, long ttlMillis) {
		return reply(this.redis.set(key, value, SetArgs.Builder.nx().px(ttlMillis)), "OK"::equals);
	}

	@Override
	public Reply<Long> time() {
		return reply(this.redis.time(), LettuceSession::millis);
	}

	/** TIME's reply: seconds and microseconds, as strings. */
	static long millis(List<String> time) {
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	@Override
	public Reply<Map<String, String>> hgetall(String key) {
		return reply(this.redis.hgetall(key));
	}

	@Override
	public Reply<List<Scored>> lowest(String key, int limit) {
		return reply(this.redis.zrangeWithScores(key, 0, limit - 1),
				(values) -> values.stream().map((value) -> new Scored(value.getValue(), value.getScore())).toList());
	}

	@Override
	public Reply<List<Object>> transaction(Consumer<Transaction> body) {
		this.redis.multi();
		List<RedisFuture<?>> queued = new ArrayList<>();
		body.accept(new Transaction() {

			@Override
			public void decrby(String key, long amount) {
				queued.add(LettuceSession.this.redis.decrby(key, amount));
			}

			@Override
			public void setPx(String key, String value, long ttlMillis) {
				queued.add(LettuceSession.this.redis.set(key, value, SetArgs.Builder.px(ttlMillis)));
			}

			@Override
			public void rewrite(String key, String value) {
				queued.add(LettuceSession.this.redis.set(key, value, SetArgs.Builder.xx().keepttl()));
			}

			@Override
			public void incrby(String key, long amount) {
				queued.add(LettuceSession.this.redis.incrby(key, amount));
			}

			@Override
			public void get(String key) {
				queued.add(LettuceSession.this.redis.get(key));
			}

			@Override
			public void del(String key) {
				queued.add(LettuceSession.this.redis.del(key));
			}

			@Override
			public void hset(String key, Map<String, String> fields) {
				queued.add(LettuceSession.this.redis.hset(key, fields));
			}

			@Override
			public void pexpire(String key, long ttlMillis) {
				queued.add(LettuceSession.this.redis.pexpire(key, ttlMillis));
			}

		});
		return new LettuceReply<>(this.redis.exec(), LettuceSession::replies, queued);
	}

	private static List<Object> replies(TransactionResult result) {
		if (result.wasDiscarded()) {
			return null;
		}
		List<Object> replies = new ArrayList<>(result.size());
		result.forEach(replies::add);
		return replies;
	}

	@Override
	public Reply<List<Object>> evalsha(String sha1, List<String> keys, List<String> args) {
		return reply(this.redis.<List<Object>>evalsha(sha1, ScriptOutputType.MULTI, keys.toArray(new String[0]),
				args.toArray(new String[0])));
	}

	@Override
	public Reply<List<Object>> eval(String script, List<String> keys, List<String> args) {
		return reply(this.redis.<List<Object>>eval(script, ScriptOutputType.MULTI, keys.toArray(new String[0]),
				args.toArray(new String[0])));
	}

	@Override
	public Reply<Long> waitForReplicas(int replicas, long timeoutMillis) {
		return reply(this.redis.waitForReplication(replicas, timeoutMillis));
	}

	@Override
	public void await(Deadline deadline, List<? extends Reply<?>> replies) {
		this.connection.flushCommands();
		for (Reply<?> reply : replies) {
			try {
				((LettuceReply<?, ?>) reply).future.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof RedisCommandExecutionException)) {
					throw broken("The Redis connection failed", ex.getCause());
				}
				// An error reply: later replies still arrive in order.
			}
			catch (TimeoutException ex) {
				throw broken("Redis did not answer before the deadline", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw broken("Interrupted while waiting for Redis", ex);
			}
		}
	}

	private StockUnavailableException broken(String message, Throwable cause) {
		this.broken = true;
		this.owner.failed(this.node);
		return new StockUnavailableException(message + " (" + this.node + ")", cause);
	}

	@Override
	public void discard() {
		this.broken = true;
	}

	@Override
	public void close() {
		this.owner.release(this.node, this.pooled, this.broken);
	}

	private static <T> Reply<T> reply(RedisFuture<T> future) {
		return new LettuceReply<>(future, Function.identity(), List.of());
	}

	private static <S, T> Reply<T> reply(RedisFuture<S> future, Function<S, T> conversion) {
		return new LettuceReply<>(future, conversion, List.of());
	}

	/**
	 * A reply, and for an EXEC the replies of the commands it was to run: when Redis
	 * refused one of those as it was queued (READONLY, MOVED, OOM...), EXEC fails with
	 * EXECABORT, and the refusal is the error that says why.
	 */
	private record LettuceReply<S, T>(RedisFuture<S> future, Function<S, T> conversion,
			List<RedisFuture<?>> queued) implements Reply<T> {

		@Override
		public RedisErrorReply error() {
			Throwable failure = failure(this.future);
			if (failure == null) {
				return null;
			}
			for (RedisFuture<?> command : this.queued) {
				Throwable refused = command.toCompletableFuture().isDone() ? failure(command) : null;
				if (refused instanceof RedisCommandExecutionException) {
					return new RedisErrorReply(refused.getMessage(), refused);
				}
			}
			return new RedisErrorReply(failure.getMessage(), failure);
		}

		@Override
		public T value() {
			RedisErrorReply error = error();
			if (error != null) {
				throw error;
			}
			return this.conversion.apply(this.future.toCompletableFuture().join());
		}

		private static Throwable failure(RedisFuture<?> future) {
			CompletableFuture<?> done = future.toCompletableFuture();
			if (!done.isDone()) {
				throw new IllegalStateException("The reply has not been awaited");
			}
			if (!done.isCompletedExceptionally()) {
				return null;
			}
			try {
				done.join();
				return null;
			}
			catch (java.util.concurrent.CompletionException ex) {
				return ex.getCause();
			}
			catch (java.util.concurrent.CancellationException ex) {
				return ex;
			}
		}

	}

}
