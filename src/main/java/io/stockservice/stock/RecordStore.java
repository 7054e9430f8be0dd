package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Single commands on idempotency records, for the steps that cannot read or write a
 * record inside the transaction that takes the stock: a reservation or an order whose
 * SKUs span hash slots reads its record before it starts, and records a refusal after the
 * fact. A refusal is written only if no record exists (SET NX): whichever of two racing
 * retries records first is the answer both give.
 */
final class RecordStore {

	/** Single commands: tried again only on a cluster redirect. */
	private static final RetryPolicy REDIRECTS = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(50));

	private final Replication replication;

	private final AttemptLoop loop;

	RecordStore(RedisSessions sessions, Replication replication) {
		this.replication = replication;
		this.loop = new AttemptLoop(sessions, REDIRECTS, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/**
	 * What the record's key holds. A record found is rewritten unchanged and confirmed by
	 * replicas, if they must confirm, before it is replayed: it may be another instance's
	 * write that no replica has yet, and WAIT counts only this connection's writes.
	 */
	Found read(String key, Deadline deadline) {
		return run(key, deadline, (session) -> {
			Reply<String> value = session.get(key);
			session.await(deadline, List.of(value));
			Found found = Found.of(value);
			if (found.value() != null && this.replication.required()) {
				confirm(session, deadline,
						session.transaction((transaction) -> transaction.rewrite(key, found.value())));
			}
			return found;
		});
	}

	/** Writes the record unless the key exists; {@code true} if it was written. */
	boolean writeIfAbsent(String key, String record, Duration ttl, Deadline deadline) {
		return run(key, deadline, (session) -> {
			Reply<Boolean> written = session.setIfAbsent(key, record, ttl.toMillis());
			confirm(session, deadline, written);
			return written.value();
		});
	}

	/** Sends the write, and waits for replicas to confirm it if they must. */
	private void confirm(RedisSession session, Deadline deadline, Reply<?> write) {
		if (!this.replication.required()) {
			session.send(deadline, write);
			return;
		}
		Reply<Long> confirmed = session.waitForReplicas(this.replication.replicas(),
				this.replication.timeoutMillis(deadline));
		session.send(deadline, write, confirmed);
		this.replication.check(session, confirmed);
	}

	private <T> T run(String key, Deadline deadline, Function<RedisSession, T> call) {
		AttemptLoop.Decided<T> decided;
		try {
			decided = this.loop.run(key, deadline, ReduceListener.NONE, (session, attempt) -> call.apply(session));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			throw new StockUnavailableException("The idempotency record was not reached in time", null);
		}
		return decided.decision();
	}

}
