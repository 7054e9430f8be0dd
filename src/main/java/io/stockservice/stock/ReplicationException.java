package io.stockservice.stock;

/**
 * A write could not be acknowledged for want of replicas. Either it was applied on the
 * master but fewer replicas than required confirmed it before the deadline (WAIT): were
 * the master to fail now, a replica promoted in its place might not have it, so the write
 * may or may not survive, its outcome is unknown as when Redis does not answer at all,
 * and it must never be acknowledged as done. Or the master itself refused it, because
 * fewer replicas than its {@code min-replicas-to-write} are connected (NOREPLICAS): then
 * nothing was applied.
 */
public class ReplicationException extends StockUnavailableException {

	private final long acknowledged;

	private final int required;

	private final boolean applied;

	public ReplicationException(long acknowledged, int required) {
		super(acknowledged + " of " + required + " required replicas confirmed the write in time", null);
		this.acknowledged = acknowledged;
		this.required = required;
		this.applied = true;
	}

	private ReplicationException(RedisErrorReply refusal) {
		super("Redis refused the write: " + refusal.getMessage(), refusal);
		this.acknowledged = 0;
		this.required = 0;
		this.applied = false;
	}

	/**
	 * The master refused the write (NOREPLICAS, its {@code min-replicas-to-write} not
	 * met): nothing was applied.
	 */
	public static ReplicationException refused(RedisErrorReply refusal) {
		return new ReplicationException(refusal);
	}

	/**
	 * Whether the write was applied on the master (and its fate is unknown); if not, the
	 * master refused it and nothing happened.
	 */
	public boolean applied() {
		return this.applied;
	}

	public long acknowledged() {
		return this.acknowledged;
	}

	public int required() {
		return this.required;
	}

}
