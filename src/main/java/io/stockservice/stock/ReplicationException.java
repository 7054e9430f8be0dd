package io.stockservice.stock;

/**
 * A write was applied on the master but fewer replicas than required confirmed it before
 * the deadline (WAIT). Were the master to fail now, a replica promoted in its place might
 * not have it, so the write may or may not survive: its outcome is unknown, as when Redis
 * does not answer at all. It must never be acknowledged as done.
 */
public class ReplicationException extends StockUnavailableException {

	private final long acknowledged;

	private final int required;

	public ReplicationException(long acknowledged, int required) {
		super(acknowledged + " of " + required + " required replicas confirmed the write in time", null);
		this.acknowledged = acknowledged;
		this.required = required;
	}

	public long acknowledged() {
		return this.acknowledged;
	}

	public int required() {
		return this.required;
	}

}
