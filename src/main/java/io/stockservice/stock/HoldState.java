package io.stockservice.stock;

/**
 * Where one hold stands. A hold is created {@link #HELD} and moves once, atomically, to
 * one of the other states, which are final: that single transition is what makes a
 * confirm, a release and an expiry of one hold exclude each other.
 */
public enum HoldState {

	/** Its units are out of {@code available} and counted in {@code reserved}. */
	HELD("held"),

	/** Sold: its units left {@code reserved} for good. */
	CONFIRMED("confirmed"),

	/** Given back by the client: its units went back to {@code available}. */
	RELEASED("released"),

	/** Given back because its time ran out: its units went back to {@code available}. */
	EXPIRED("expired"),

	/**
	 * Never held anything: the sweeper found no hold where one was due, after the time by
	 * which it could still have been created, and left this mark so that a creation still
	 * on its way can no longer land.
	 */
	VOID("void");

	private final String tag;

	HoldState(String tag) {
		this.tag = tag;
	}

	/** The value kept in Redis and shown to clients. */
	public String tag() {
		return this.tag;
	}

	public boolean ended() {
		return this != HELD;
	}

	/** Whether a move to this state gives the units back to {@code available}. */
	boolean returnsUnits() {
		return this == RELEASED || this == EXPIRED;
	}

	/** The state of the tag, or {@code null} if it names none. */
	static HoldState of(String tag) {
		for (HoldState state : values()) {
			if (state.tag.equals(tag)) {
				return state;
			}
		}
		return null;
	}

}
