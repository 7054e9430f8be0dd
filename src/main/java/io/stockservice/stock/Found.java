package io.stockservice.stock;

/**
 * What a read of one key found: its string value, nothing, or a key of another Redis type
 * (Redis answers {@code WRONGTYPE}). A reduction reads every key it depends on into one
 * of these before it decides anything, so that bad data is an answer about that key, not
 * an error that ends the whole transaction.
 *
 * @param value the value, or {@code null}
 * @param wrongType whether the key holds something other than a string
 */
record Found(String value, boolean wrongType) {

	static final Found NOTHING = new Found(null, false);

	static final Found WRONG_TYPE = new Found(null, true);

	static Found of(String value) {
		return (value != null) ? new Found(value, false) : NOTHING;
	}

	/**
	 * The value of a read's reply: {@link #WRONG_TYPE} if Redis refused it as such.
	 * @throws RedisErrorReply for any other error reply
	 */
	static Found of(Reply<String> reply) {
		try {
			return of(reply.value());
		}
		catch (RedisErrorReply ex) {
			if (ex.wrongType()) {
				return WRONG_TYPE;
			}
			throw ex;
		}
	}

}
