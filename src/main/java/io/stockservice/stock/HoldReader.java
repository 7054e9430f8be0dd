package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a reservation's anchor hold: one HGETALL, retried only on a cluster redirect. */
final class HoldReader {

	private static final RetryPolicy REDIRECTS = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(50));

	private final StockKeys keys;

	private final AttemptLoop loop;

	HoldReader(RedisSessions sessions, StockKeys keys) {
		this.keys = keys;
		this.loop = new AttemptLoop(sessions, REDIRECTS, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/**
	 * @return the hold, or empty if there is none
	 * @throws CorruptReservationException if the key holds something else
	 */
	Optional<Hold> read(String id, String partAnchor, Deadline deadline) {
		String key = this.keys.hold(partAnchor, id);
		AttemptLoop.Decided<Map<String, String>> decided;
		try {
			decided = this.loop.run(key, deadline, ReduceListener.NONE, (session, attempt) -> {
				Reply<Map<String, String>> fields = session.hgetall(key);
				session.await(deadline, List.of(fields));
				RedisErrorReply error = fields.error();
				if (error != null && error.wrongType()) {
					throw new CorruptReservationException(id);
				}
				return fields.value();
			});
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			throw new StockUnavailableException("The reservation was not reached in time", null);
		}
		if (decided.decision().isEmpty()) {
			return Optional.empty();
		}
		Hold hold = HoldFields.decode(decided.decision());
		if (hold == null) {
			throw new CorruptReservationException(id);
		}
		return Optional.of(hold);
	}

}
