package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import io.lettuce.core.RedisURI;

import io.stockservice.stock.ReduceOutcome.Reduced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WATCH strategy with read-ahead passes the whole contract and every WATCH test, and
 * never trusts a read it sent ahead without an EXEC to prove it, nor one older than a
 * backoff pause. Read-ahead is for the load generator's workers, whose one blocking
 * connection keeps the read for their next reduction; the service does not use it.
 */
class ReadAheadWatchReduceStrategyTests extends WatchReduceStrategyTests {

	@Override
	RedisSessions connect(RedisURI uri, int maxConnections) {
		return BlockingRedisConnection.to(uri, Duration.ofSeconds(2), "contract-test");
	}

	@Override
	ReduceStrategy strategy(RedisSessions connections, ReduceListener listener) {
		return ((WatchReduceStrategy) super.strategy(connections, listener)).readingAhead();
	}

	ReduceOutcome reduceOn(ReduceStrategy strategy, String sku) {
		return strategy.reduce(List.of(Claim.of(sku, 1)), Deadline.after(DEADLINE)).get(0);
	}

	/**
	 * The read that travelled behind an aborted EXEC is dropped after the backoff pause:
	 * other clients went on writing while this one waited, and a retry on that read would
	 * only lose its race again (as it did, every time, with three other instances on one
	 * SKU). Here another client writes during the pause.
	 */
	@Test
	void aReadSentAheadBeforeABackoffPauseIsNotUsedAfterIt() {
		this.otherClient.set("stock:count", "10");
		AtomicInteger conflicts = new AtomicInteger();
		Sleeper othersWriteMeanwhile = (pause) -> this.otherClient.set("stock:count", "50");
		RandomGenerator longestPause = () -> Long.MAX_VALUE;
		ReduceStrategy strategy = new WatchReduceStrategy(this.client, this.keys, this.records, Replication.none(),
				RETRY, conflicting(1, conflicts), othersWriteMeanwhile, longestPause)
			.readingAhead();

		assertThat(reduceOn(strategy, "count")).isEqualTo(new Reduced("count", 1, 49, 2));
		assertThat(conflicts).hasValue(1);
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
