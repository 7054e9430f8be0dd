package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The list of reservations due to expire: {@value #SHARDS} sorted sets
 * ({@link StockKeys#holdsDue}), each entry scored by its reservation's {@code expiresAt}.
 * <p>
 * An entry is written <em>before</em> its reservation's holds, so that no crash can leave
 * a hold that nobody will ever expire; an entry whose holds never came to be is harmless
 * (see {@link HoldSweeper}). Every instance sweeps every shard; it is removed only once
 * its reservation has ended in every part. Time is the clock of the Redis that keeps the
 * shard, read by the script ({@code holds-due.lua}) itself.
 */
public final class HoldsDue {

	/** Fixed, so that every instance agrees on where an entry is. */
	static final int SHARDS = 16;

	private static final LuaScript SCRIPT = LuaScript.load("holds-due.lua");

	/** Single commands: tried again only on a cluster redirect. */
	private static final RetryPolicy REDIRECTS = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(50));

	private final StockKeys keys;

	private final Replication replication;

	private final AttemptLoop loop;

	public HoldsDue(RedisSessions sessions, StockKeys keys, Replication replication) {
		this.keys = keys;
		this.replication = replication;
		this.loop = new AttemptLoop(sessions, REDIRECTS, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/** The shard an entry lives in: where its reservation id hashes to. */
	static int shardOf(DueEntry entry) {
		return Math.floorMod(entry.reservationId().hashCode(), SHARDS);
	}

	/**
	 * Adds the entry, due {@code ttl} from now by the shard's Redis clock, and waits for
	 * replicas if they must confirm (a hold whose entry a failover lost would never
	 * expire).
	 * @return when the entry is due: the reservation's {@code expiresAt}
	 */
	long add(DueEntry entry, Duration ttl, Deadline deadline) {
		List<Object> reply = run(shardOf(entry), deadline, (session) -> {
			List<Object> added = SCRIPT.run(session, deadline, List.of(key(entry)),
					List.of("add", Long.toString(ttl.toMillis()), entry.text()));
			if (this.replication.required()) {
				Reply<Long> confirmed = session.waitForReplicas(this.replication.replicas(),
						this.replication.timeoutMillis(deadline));
				session.send(deadline, confirmed);
				this.replication.check(session, confirmed);
			}
			return added;
		});
		return (Long) reply.get(0);
	}

	/** Removes the entry; nothing happens if it is gone already. */
	void remove(DueEntry entry, Deadline deadline) {
		run(shardOf(entry), deadline,
				(session) -> SCRIPT.run(session, deadline, List.of(key(entry)), List.of("remove", entry.text())));
	}

	/**
	 * The entries of a shard that are due by its Redis clock, earliest first.
	 * @param limit the most to answer
	 */
	List<Due> due(int shard, int limit, Deadline deadline) {
		List<Object> reply = run(shard, deadline, (session) -> SCRIPT.run(session, deadline,
				List.of(this.keys.holdsDue(shard)), List.of("due", Integer.toString(limit))));
		List<Due> due = new ArrayList<>();
		for (int i = 1; i + 1 < reply.size(); i += 2) {
			DueEntry entry = DueEntry.parse((String) reply.get(i));
			long at = (long) Double.parseDouble((String) reply.get(i + 1));
			if (entry != null) {
				due.add(new Due(entry, at));
			}
		}
		return due;
	}

	private String key(DueEntry entry) {
		return this.keys.holdsDue(shardOf(entry));
	}

	private List<Object> run(int shard, Deadline deadline, Function<RedisSession, List<Object>> call) {
		AttemptLoop.Decided<List<Object>> decided;
		try {
			decided = this.loop.run(this.keys.holdsDue(shard), deadline, ReduceListener.NONE,
					(session, attempt) -> call.apply(session));
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			throw new StockUnavailableException("The list of holds due was not reached in time", null);
		}
		return decided.decision();
	}

	/**
	 * An entry due, with when.
	 *
	 * @param entry the reservation
	 * @param at its {@code expiresAt}
	 */
	record Due(DueEntry entry, long at) {
	}

}
