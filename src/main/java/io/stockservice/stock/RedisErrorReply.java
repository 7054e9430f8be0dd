package io.stockservice.stock;

/**
 * Redis answered a command with an error (WRONGTYPE, NOSCRIPT, MOVED, READONLY, OOM...).
 * The connection is fine: later replies still arrive in order.
 */
public class RedisErrorReply extends RuntimeException {

	public RedisErrorReply(String message, Throwable cause) {
		super(message, cause);
	}

	/** Redis does not know the script of an EVALSHA (after a restart or SCRIPT FLUSH). */
	public boolean noScript() {
		return is("NOSCRIPT");
	}

	/** The key holds another Redis type than the command works on. */
	public boolean wrongType() {
		return is("WRONGTYPE");
	}

	/**
	 * The node does not serve the key as a master: its slot lives elsewhere (MOVED), or
	 * the node is a replica now (READONLY). Nothing was applied; the topology is to be
	 * read again and the command sent to the master that serves the key.
	 */
	public boolean wrongNode() {
		return is("MOVED") || is("READONLY");
	}

	/**
	 * The key's slot is being migrated between masters (ASK, TRYAGAIN): nothing was
	 * applied, and the same command will succeed once the migration has moved on.
	 */
	public boolean migrating() {
		return is("ASK") || is("TRYAGAIN");
	}

	/**
	 * The master refuses writes while fewer replicas than its
	 * {@code min-replicas-to-write} are connected; nothing was applied.
	 */
	public boolean noReplicas() {
		return is("NOREPLICAS");
	}

	private boolean is(String code) {
		String message = String.valueOf(getMessage());
		return message.startsWith(code) && (message.length() == code.length() || message.charAt(code.length()) == ' ');
	}

}
