package io.stockservice.stock;

import java.util.List;
import java.util.function.Function;

import redis.clients.jedis.exceptions.JedisDataException;

final class JedisReply<T> implements Reply<T> {

	private final Function<Object, T> conversion;

	private boolean arrived;

	private Object raw;

	private List<JedisReply<?>> causes = List.of();

	JedisReply(Function<Object, T> conversion) {
		this.conversion = conversion;
	}

	void arrived(Object raw) {
		this.raw = raw;
		this.arrived = true;
	}

	/** The replies of the commands an EXEC ran, whose refusal would abort it. */
	void causes(List<JedisReply<?>> queued) {
		this.causes = queued;
	}

	@Override
	public RedisErrorReply error() {
		if (!this.arrived) {
			throw new IllegalStateException("The reply has not been awaited");
		}
		if (!(this.raw instanceof JedisDataException error)) {
			return null;
		}
		for (JedisReply<?> cause : this.causes) {
			if (cause.raw instanceof JedisDataException refused) {
				return new RedisErrorReply(refused.getMessage(), refused);
			}
		}
		return new RedisErrorReply(error.getMessage(), error);
	}

	@Override
	public T value() {
		RedisErrorReply error = error();
		if (error != null) {
			throw error;
		}
		return (this.raw != null) ? this.conversion.apply(this.raw) : null;
	}

}
