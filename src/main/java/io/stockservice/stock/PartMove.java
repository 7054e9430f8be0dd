package io.stockservice.stock;

/**
 * One atomic move of a reservation's part out of {@link HoldState#HELD}, if it is held.
 *
 * @param reservationId the reservation's id
 * @param partAnchor the smallest SKU of the part
 * @param op what the move is
 * @param target for {@link Op#FOLLOW}, the state the anchor decided; else ignored
 * @param dueAt when the reservation expires: a part that does not exist by then (Redis
 * time) never will, and is marked {@link HoldState#VOID} by {@code EXPIRE} and
 * {@code FOLLOW}
 */
record PartMove(String reservationId, String partAnchor, Op op, HoldState target, long dueAt) {

	static PartMove of(String reservationId, String partAnchor, Op op) {
		return new PartMove(reservationId, partAnchor, op, null, Long.MAX_VALUE);
	}

	/** What a move does to a held part. */
	enum Op {

		/** Sell it, if its time has not run out; if it has, expire it instead. */
		CONFIRM("confirm"),

		/** Give it back, if its time has not run out; if it has, expire it instead. */
		RELEASE("release"),

		/** Give it back if its time has run out; else leave it. */
		EXPIRE("expire"),

		/**
		 * Move it to the state its reservation's anchor decided, whatever the time: a
		 * part that is not the anchor never decides its own fate.
		 */
		FOLLOW("follow");

		private final String tag;

		Op(String tag) {
			this.tag = tag;
		}

		String tag() {
			return this.tag;
		}

	}

}
