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
		removeAll(shardOf(entry), List.of(entry), deadline);
	}

	/** Removes entries of one shard in one call; those gone already are skipped. */
	void removeAll(int shard, List<DueEntry> entries, Deadline deadline) {
		if (entries.isEmpty()) {
			return;
		}
		List<String> args = new ArrayList<>(List.of("remove"));
		entries.forEach((entry) -> args.add(entry.text()));
		run(shard, deadline, (session) -> SCRIPT.run(session, deadline, List.of(this.keys.holdsDue(shard)), args));
	}

	/**
	 * The entries of a shard that are due by its Redis clock, earliest first: the lowest
	 * scored entries and the clock, read in one round trip by plain commands. A read
	 * needs no script; it may go to any node that still answers as master, while a script
	 * call counts as a write wherever it lands.
	 * @param limit the most to answer
	 */
	List<Due> due(int shard, int limit, Deadline deadline) {
		String key = this.keys.holdsDue(shard);
		return run(shard, deadline, (session) -> {
			Reply<Long> now = session.time();
			Reply<List<RedisSession.Scored>> lowest = session.lowest(key, limit);
			session.send(deadline, now, lowest);
			List<Due> due = new ArrayList<>();
			for (RedisSession.Scored scored : lowest.value()) {
				if (scored.score() > now.value()) {
					break;
				}
				DueEntry entry = DueEntry.parse(scored.member());
				if (entry != null) {
					due.add(new Due(entry, (long) scored.score()));
				}
			}
			return due;
		});
	}

	private String key(DueEntry entry) {
		return this.keys.holdsDue(shardOf(entry));
	}

	private <T> T run(int shard, Deadline deadline, Function<RedisSession, T> call) {
		AttemptLoop.Decided<T> decided;
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
