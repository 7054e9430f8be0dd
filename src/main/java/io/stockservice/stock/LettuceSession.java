package io.stockservice.stock;

import java.util.ArrayList;
import java.util.List;
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

/**
 * A {@link RedisSession} on one of the service's pooled Lettuce connections. Lettuce's
 * async commands are queued on a connection whose auto-flush is off, and {@link #send}
 * flushes them in one write.
 */
final class LettuceSession implements RedisSession {

	private final TransactionConnections owner;

	private final TransactionConnections.PooledConnection pooled;

	private final RedisAsyncCommands<String, String> redis;

	private final StatefulRedisConnection<String, String> connection;

	private boolean broken;

	LettuceSession(TransactionConnections owner, TransactionConnections.PooledConnection pooled) {
		this.owner = owner;
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
	public Reply<List<Object>> transaction(Consumer<Transaction> body) {
		this.redis.multi();
		body.accept(new Transaction() {

			@Override
			public void decrby(String key, long amount) {
				LettuceSession.this.redis.decrby(key, amount);
			}

			@Override
			public void setPx(String key, String value, long ttlMillis) {
				LettuceSession.this.redis.set(key, value, SetArgs.Builder.px(ttlMillis));
			}

		});
		return reply(this.redis.exec(), LettuceSession::replies);
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
	public void send(Deadline deadline, List<? extends Reply<?>> replies) {
		this.connection.flushCommands();
		RedisErrorReply refused = null;
		for (Reply<?> reply : replies) {
			try {
				((LettuceReply<?, ?>) reply).future.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RedisCommandExecutionException error) {
					// An error reply: later replies still arrive in order.
					refused = (refused != null) ? refused : new RedisErrorReply(error.getMessage(), error);
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

	private StockUnavailableException broken(String message, Throwable cause) {
		this.broken = true;
		return new StockUnavailableException(message, cause);
	}

	@Override
	public Object takeReadAhead() {
		return this.pooled.takeReadAhead();
	}

	@Override
	public void readAhead(Object read) {
		this.pooled.readAhead(read);
	}

	@Override
	public void close() {
		this.owner.release(this.pooled, this.broken);
	}

	private static <T> Reply<T> reply(RedisFuture<T> future) {
		return new LettuceReply<>(future, Function.identity());
	}

	private static <S, T> Reply<T> reply(RedisFuture<S> future, Function<S, T> conversion) {
		return new LettuceReply<>(future, conversion);
	}

	private record LettuceReply<S, T>(RedisFuture<S> future, Function<S, T> conversion) implements Reply<T> {

		@Override
		public T value() {
			CompletableFuture<S> done = this.future.toCompletableFuture();
			if (!done.isDone()) {
				throw new IllegalStateException("The reply has not been awaited");
			}
			return this.conversion.apply(done.join());
		}

	}

}
