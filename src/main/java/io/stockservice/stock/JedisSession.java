package io.stockservice.stock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A session on the connection: commands are sent as they are queued, replies read by
 * send.
 */
final class JedisSession implements RedisSession {

	private final Connection connection;

	private final Consumer<Boolean> release;

	/** Replies not read yet, in the order Redis will send them. */
	private final List<JedisReply<?>> unread = new ArrayList<>();

	private boolean broken;

	private boolean closed;

	/**
	 * @param connection the connection, for this session alone until it closes
	 * @param release gives the connection back when the session closes, told whether it
	 * must be closed instead
	 */
	JedisSession(Connection connection, Consumer<Boolean> release) {
		this.connection = connection;
		this.release = release;
	}

	@Override
	public Reply<String> watch(String... keys) {
		return queue(JedisSession::text, Command.WATCH, keys);
	}

	@Override
	public Reply<String> unwatch() {
		return queue(JedisSession::text, Command.UNWATCH);
	}

	@Override
	public Reply<String> get(String key) {
		return queue(JedisSession::text, Command.GET, key);
	}

	@Override
	public Reply<List<String>> mget(List<String> keys) {
		return queue((values) -> ((List<?>) values).stream().map(JedisSession::text).toList(), Command.MGET,
				keys.toArray(new String[0]));
	}

	@Override
	public Reply<String> set(String key, String value) {
		return queue(JedisSession::text, Command.SET, key, value);
	}

	@Override
	public Reply<Long> del(String key) {
		return queue(Long.class::cast, Command.DEL, key);
	}

	@Override
	public Reply<Boolean> setIfAbsent(String key, String value, long ttlMillis) {
		return queue((reply) -> reply != null, Command.SET, key, value, "NX", "PX", Long.toString(ttlMillis));
	}

	@Override
	public Reply<Long> time() {
		return queue((reply) -> {
			List<?> time = (List<?>) reply;
			return Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
		}, Command.TIME);
	}

	@Override
	public Reply<Map<String, String>> hgetall(String key) {
		return queue((reply) -> {
			List<?> flat = (List<?>) reply;
			Map<String, String> fields = new LinkedHashMap<>();
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				fields.put(text(flat.get(i)), text(flat.get(i + 1)));
			}
			return fields;
		}, Command.HGETALL, key);
	}

	@Override
	public Reply<List<Scored>> lowest(String key, int limit) {
		return queue((reply) -> {
			List<?> flat = (List<?>) reply;
			List<Scored> scored = new ArrayList<>();
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				scored.add(new Scored(text(flat.get(i)), Double.parseDouble(text(flat.get(i + 1)))));
			}
			return scored;
		}, Command.ZRANGE, key, "0", Integer.toString(limit - 1), "WITHSCORES");
	}

	@Override
	public Reply<List<Object>> transaction(Consumer<Transaction> body) {
		queue(JedisSession::text, Command.MULTI);
		List<JedisReply<?>> queued = new ArrayList<>();
		body.accept(new Transaction() {

			@Override
			public void decrby(String key, long amount) {
				queued.add(queue(JedisSession::text, Command.DECRBY, key, Long.toString(amount)));
			}

			@Override
			public void setPx(String key, String value, long ttlMillis) {
				queued.add(queue(JedisSession::text, Command.SET, key, value, "PX", Long.toString(ttlMillis)));
			}

			@Override
			public void rewrite(String key, String value) {
				queued.add(queue(JedisSession::text, Command.SET, key, value, "XX", "KEEPTTL"));
			}

			@Override
			public void incrby(String key, long amount) {
				queued.add(queue(JedisSession::text, Command.INCRBY, key, Long.toString(amount)));
			}

			@Override
			public void get(String key) {
				queued.add(queue(JedisSession::text, Command.GET, key));
			}

			@Override
			public void del(String key) {
				queued.add(queue(JedisSession::text, Command.DEL, key));
			}

			@Override
			public void hset(String key, Map<String, String> fields) {
				List<String> args = new ArrayList<>(1 + 2 * fields.size());
				args.add(key);
				fields.forEach((field, value) -> {
					args.add(field);
					args.add(value);
				});
				queued.add(queue(JedisSession::text, Command.HSET, args.toArray(new String[0])));
			}

			@Override
			public void pexpire(String key, long ttlMillis) {
				queued.add(queue(JedisSession::text, Command.PEXPIRE, key, Long.toString(ttlMillis)));
			}

		});
		// The replies between MULTI and EXEC only say QUEUED, or why a command was
		// refused, which is then why EXEC was (EXECABORT); EXEC's is the
		// transaction's.
		JedisReply<List<Object>> exec = queue((replies) -> (replies != null) ? JedisSession.values(replies) : null,
				Command.EXEC);
		exec.causes(queued);
		return exec;
	}

	@Override
	public Reply<Long> waitForReplicas(int replicas, long timeoutMillis) {
		return queue(Long.class::cast, Command.WAIT, Integer.toString(replicas), Long.toString(timeoutMillis));
	}

	@Override
	public Reply<List<Object>> evalsha(String sha1, List<String> keys, List<String> args) {
		return queue(JedisSession::values, Command.EVALSHA, script(sha1, keys, args));
	}

	@Override
	public Reply<List<Object>> eval(String script, List<String> keys, List<String> args) {
		return queue(JedisSession::values, Command.EVAL, script(script, keys, args));
	}

	private static String[] script(String script, List<String> keys, List<String> args) {
		List<String> arguments = new ArrayList<>(2 + keys.size() + args.size());
		arguments.add(script);
		arguments.add(Integer.toString(keys.size()));
		arguments.addAll(keys);
		arguments.addAll(args);
		return arguments.toArray(new String[0]);
	}

	private <T> JedisReply<T> queue(Function<Object, T> conversion, ProtocolCommand command, String... args) {
		if (this.broken) {
			throw new StockUnavailableException("The Redis connection failed", null);
		}
		// Jedis buffers what is sent; await() flushes it in one write.
		this.connection.sendCommand(command, args);
		JedisReply<T> reply = new JedisReply<>(conversion);
		this.unread.add(reply);
		return reply;
	}

	@Override
	public void await(Deadline deadline, List<? extends Reply<?>> replies) {
		if (this.unread.isEmpty()) {
			return;
		}
		List<Object> raw;
		try {
			boundReads(deadline);
			raw = this.connection.getMany(this.unread.size());
		}
		catch (JedisConnectionException ex) {
			this.broken = true;
			throw new StockUnavailableException("Redis did not answer, or the connection failed", ex);
		}
		for (int i = 0; i < raw.size(); i++) {
			this.unread.get(i).arrived(raw.get(i));
		}
		this.unread.clear();
	}

	@Override
	public void discard() {
		this.broken = true;
	}

	/**
	 * Bounds each socket read by the deadline. Setting a socket option is a system call,
	 * as costly as the read it bounds, so the bound in force is kept while it lies
	 * between half and twice the time left: a read may then overrun the deadline, but
	 * never by more than the time that was left.
	 */
	private void boundReads(Deadline deadline) {
		int remaining = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, deadline.remaining().toMillis()));
		int current = this.connection.getSoTimeout();
		if (current == 0 || current > 2 * remaining || current < remaining / 2) {
			this.connection.setSoTimeout(remaining);
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		// Replies queued but never awaited would be read by the next session as its
		// own.
		this.release.accept(this.broken || !this.unread.isEmpty());
	}

	private static String text(Object reply) {
		return (reply instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : (String) reply;
	}

	private static List<Object> values(Object reply) {
		List<Object> values = new ArrayList<>();
		for (Object value : (List<?>) reply) {
			values.add((value instanceof byte[]) ? text(value) : value);
		}
		return values;
	}

}
