package io.stockservice.stock;

/**
 * The reply to a queued command. Its value may be read once {@link RedisSession#await}
 * has seen it arrive.
 *
 * @param <T> the type of the value
 */
public interface Reply<T> {

	/**
	 * @throws RedisErrorReply if Redis answered with an error
	 * @throws IllegalStateException if the reply has not been awaited
	 */
	T value();

	/**
	 * The error Redis answered with, or {@code null} if it answered with a value.
	 * @throws IllegalStateException if the reply has not been awaited
	 */
	RedisErrorReply error();

}
