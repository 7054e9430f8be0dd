package io.stockservice.stock;

/**
 * The reply to a queued command. Its value may be read once {@link RedisSession#send} has
 * seen it arrive.
 *
 * @param <T> the type of the value
 */
public interface Reply<T> {

	/**
	 * @throws IllegalStateException if the reply has not been awaited
	 */
	T value();

}
