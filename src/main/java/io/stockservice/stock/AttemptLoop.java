package io.stockservice.stock;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Runs attempts at one piece of work on the master that serves its key, until an attempt
 * decides it, the attempts run out, or the deadline passes.
 * <p>
 * An attempt may find that it must be tried again without having changed anything: its
 * EXEC was aborted because a watched key changed (a conflict), the key's slot is being
 * migrated between masters (ASK or TRYAGAIN), or the node it reached does not serve the
 * key as a master any more (MOVED, or READONLY from a master turned replica). Then the
 * session is given up where its state is unknown, the topology is read again where the
 * node was wrong, and the next attempt starts from nothing after a jittered pause. Any
 * other error reply ends the work, for the caller to translate.
 */
final class AttemptLoop {

	private final RedisSessions sessions;

	private final RetryPolicy retry;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	AttemptLoop(RedisSessions sessions, RetryPolicy retry, Sleeper sleeper, RandomGenerator random) {
		this.sessions = sessions;
		this.retry = retry;
		this.sleeper = sleeper;
		this.random = random;
	}

	/**
	 * @param key the key whose master serves the work
	 * @param deadline when to stop
	 * @param listener hears each attempt and conflict
	 * @param attempt the work
	 * @return the decision of the first attempt that reached one, or {@code null} if none
	 * did within the attempts and the deadline (nothing was applied)
	 * @throws StockUnavailableException if Redis failed; the effect of the attempt under
	 * way is then unknown
	 * @throws RedisErrorReply if Redis refused the attempt for another reason than a
	 * conflict or a redirect
	 */
	<T> Decided<T> run(String key, Deadline deadline, ReduceListener listener, Attempt<T> attempt) {
		return run(key, deadline, listener, Start.FRESH, attempt);
	}

	/**
	 * Runs the work as {@link #run(String, Deadline, ReduceListener, Attempt)} does, but
	 * as the continuation of attempts made elsewhere: numbered after them, counted
	 * against the same {@link RetryPolicy#maxAttempts()}, and after the pause a conflict
	 * earns if the start says so.
	 */
	<T> Decided<T> run(String key, Deadline deadline, ReduceListener listener, Start start, Attempt<T> attempt) {
		int before = start.attemptsBefore();
		if (before > 0 && (start.pauseFirst() ? !pauseBeforeRetry(before, deadline)
				: before >= this.retry.maxAttempts() || deadline.expired())) {
			return new Decided<>(null, before);
		}
		RedisSession session = null;
		try {
			for (int number = before + 1;; number++) {
				if (number > 1 && deadline.expired()) {
					return new Decided<>(null, number - 1);
				}
				if (session == null) {
					try {
						session = this.sessions.acquire(key, deadline);
					}
					catch (DeadlineExceededException ex) {
						return new Decided<>(null, number - 1);
					}
				}
				listener.attempted();
				T decision;
				boolean redirected = false;
				try {
					decision = attempt.run(session, number);
				}
				catch (RedisErrorReply ex) {
					if (!ex.wrongNode() && !ex.migrating()) {
						throw ex;
					}
					// Nothing was applied, but the session may hold a WATCH or sit on the
					// wrong node: a fresh one, after the topology was read again, starts
					// clean.
					session.discard();
					session.close();
					session = null;
					if (ex.wrongNode()) {
						this.sessions.redirected(key, ex);
						redirected = true;
					}
					decision = null;
				}
				if (decision != null) {
					return new Decided<>(decision, number);
				}
				if (!redirected) {
					// An aborted EXEC, or a slot in migration: both are another client's
					// move that this attempt lost to.
					listener.conflicted();
				}
				if (!pauseBeforeRetry(number, deadline)) {
					return new Decided<>(null, number);
				}
			}
		}
		finally {
			if (session != null) {
				session.close();
			}
		}
	}

	/** Pauses before the next attempt; {@code false} if there is no room for one. */
	private boolean pauseBeforeRetry(int failedAttempt, Deadline deadline) {
		if (failedAttempt >= this.retry.maxAttempts()) {
			return false;
		}
		Duration pause = this.retry.backoffAfter(failedAttempt, this.random);
		if (pause.compareTo(deadline.remaining()) >= 0) {
			return false;
		}
		try {
			this.sleeper.sleep(pause);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Where a run of attempts starts.
	 *
	 * @param attemptsBefore attempts already made at the same work (part of a batch that
	 * was split after they were made)
	 * @param pauseFirst whether to pause as after a conflict before the first attempt
	 */
	record Start(int attemptsBefore, boolean pauseFirst) {

		static final Start FRESH = new Start(0, false);

	}

	/** One attempt at the work. */
	@FunctionalInterface
	interface Attempt<T> {

		/**
		 * @param session a session on the master serving the key
		 * @param number the attempt, from 1
		 * @return the decision, or {@code null} if the attempt must be tried again
		 * @throws RedisErrorReply if Redis answered with an error
		 */
		T run(RedisSession session, int number);

	}

	/**
	 * How the work ended.
	 *
	 * @param decision the decision, or {@code null} if no attempt reached one
	 * @param attempts the attempts made
	 */
	record Decided<T>(T decision, int attempts) {
	}

}
