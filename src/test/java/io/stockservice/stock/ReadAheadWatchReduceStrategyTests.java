package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.stockservice.stock.ReduceOutcome.Reduced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WATCH strategy with read-ahead passes the whole contract and every WATCH test, and
 * never trusts a read it sent ahead without an EXEC to prove it.
 */
class ReadAheadWatchReduceStrategyTests extends WatchReduceStrategyTests {

	@Override
	ReduceStrategy strategy(RedisSessions connections, ReduceListener listener) {
		return ((WatchReduceStrategy) super.strategy(connections, listener)).readingAhead();
	}

	ReduceOutcome reduceOn(ReduceStrategy strategy, String sku) {
		return strategy.reduce(sku, List.of(Claim.of(1)), Deadline.after(DEADLINE)).get(0);
	}

	@Test
	void aReadSentAheadThatWentStaleIsCaughtByExecAndRetried() {
		this.otherClient.set("stock:count", "10");
		try (RedisSessions single = connect(this.redis.uri(), 1)) {
			ReduceStrategy strategy = strategy(single, ReduceListener.NONE);
			assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 9, 1));

			this.otherClient.set("stock:count", "50");

			assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 49, 2));
		}
	}

	@Test
	void anEmptyStockSeenAheadIsCheckedAgainBeforeItIsReported() {
		this.otherClient.set("stock:count", "1");
		try (RedisSessions single = connect(this.redis.uri(), 1)) {
			ReduceStrategy strategy = strategy(single, ReduceListener.NONE);
			assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 0, 1));

			this.otherClient.set("stock:count", "5");

			assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 4, 2));
		}
	}

	@Test
	void aReadSentAheadServesTheNextReductionWithoutARoundTripOfItsOwn() {
		this.otherClient.set("stock:count", "10");
		try (RedisSessions single = connect(this.redis.uri(), 1)) {
			ReduceStrategy strategy = strategy(single, ReduceListener.NONE);
			reduceOn(strategy, "count");
			long callsBefore = commandCalls("get");

			reduceOn(strategy, "count");
			reduceOn(strategy, "count");

			// Each reduction's GET went out behind the previous EXEC: two reductions, two
			// GETs, and no GET of their own beyond those.
			assertThat(commandCalls("get") - callsBefore).isEqualTo(2);
			assertThat(this.otherClient.get("stock:count")).isEqualTo("7");
		}
	}

	/**
	 * Without a pause, nothing has had time to overwrite the read sent ahead behind the
	 * aborted EXEC, and the retry continues from it.
	 */
	@Test
	void aRetryThatThePolicyDoesNotPauseContinuesFromTheReadSentAhead() {
		this.otherClient.set("stock:count", "10");
		RetryPolicy unpaused = new RetryPolicy(5, Duration.ZERO, Duration.ZERO);
		ReduceStrategy strategy = new WatchReduceStrategy(this.client, this.keys, this.records, unpaused,
				conflicting(1, new AtomicInteger()), this.recordingSleeper, RetryPolicy.THREAD_LOCAL_JITTER)
			.readingAhead();
		long watchesBefore = commandCalls("watch");
		long unwatchesBefore = commandCalls("unwatch");

		assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 9, 2));
		// The first attempt's own WATCH, the one behind its aborted EXEC that the retry
		// continued from, and the one behind the EXEC that committed, left for the next
		// reduction: no UNWATCH and no fresh WATCH of the retry's own.
		assertThat(commandCalls("watch") - watchesBefore).isEqualTo(3);
		assertThat(commandCalls("unwatch")).isEqualTo(unwatchesBefore);
	}

	long commandCalls(String command) {
		String stats = this.otherClient.info("commandstats");
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_" + command + ":")) {
				return Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
			}
		}
		return 0;
	}

}
