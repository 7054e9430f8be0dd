package io.stockservice.stock;

/**
 * Redis answered a command with an error (WRONGTYPE, NOSCRIPT, LOADING, OOM, ...). The
 * connection is fine: later replies still arrive in order.
 */
public class RedisErrorReply extends RuntimeException {

	public RedisErrorReply(String message, Throwable cause) {
		super(message, cause);
	}

	/** Redis does not know the script of an EVALSHA (after a restart or SCRIPT FLUSH). */
	public boolean noScript() {
		return String.valueOf(getMessage()).startsWith("NOSCRIPT");
	}

	/** The key holds another Redis type than the command works on. */
	public boolean wrongType() {
		return String.valueOf(getMessage()).startsWith("WRONGTYPE");
	}

}
