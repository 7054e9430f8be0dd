package io.stockservice.stock;

import java.time.Duration;
import java.util.List;

import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.Replayed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java (for WATCH) and {@code reduce.lua} each write idempotency records; they must write
 * the same format, or a retry after switching strategies would take stock twice.
 */
class IdempotencyAcrossStrategiesTests {

	final TestRedis redis = TestRedis.shared();

	final StockKeys keys = StockKeys.defaults();

	final IdempotencyRecords records = IdempotencyRecords.defaults();

	TransactionClient client;

	ReduceStrategy watch;

	ReduceStrategy lua;

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 2);
		this.watch = new WatchReduceStrategy(this.client.connections(), this.keys, this.records, Replication.none(),
				new RetryPolicy(3, Duration.ZERO, Duration.ZERO), ReduceListener.NONE, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
		this.lua = new LuaReduceStrategy(this.client.connections(), this.keys, this.records, Replication.none(),
				new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(20)), ReduceListener.NONE, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	ReduceOutcome reduce(ReduceStrategy strategy, Claim claim) {
		return strategy.reduce(List.of(claim), Deadline.after(Duration.ofSeconds(5))).get(0);
	}

	@Test
	void bothStrategiesWriteTheSameRecord() {
		this.redis.commands().set("stock:count", "10");
		reduce(this.watch, Claim.keyed("count", 2, "by-watch"));
		reduce(this.lua, Claim.keyed("count", 2, "by-lua"));

		assertThat(this.redis.commands().get("stock-service:idempotency:{stock:count}:by-watch"))
			.isEqualTo("R|1|count 2 8");
		assertThat(this.redis.commands().get("stock-service:idempotency:{stock:count}:by-lua"))
			.isEqualTo("R|1|count 2 6");
	}

	@Test
	void aRecordWrittenByOneStrategyIsReplayedByTheOther() {
		this.redis.commands().set("stock:count", "10");
		reduce(this.watch, Claim.keyed("count", 2, "by-watch"));
		reduce(this.lua, Claim.keyed("count", 3, "by-lua"));

		assertThat(reduce(this.lua, Claim.keyed("count", 2, "by-watch")))
			.isEqualTo(new Replayed(new Reduced("count", 2, 8, 1), 1));
		assertThat(reduce(this.watch, Claim.keyed("count", 3, "by-lua")))
			.isEqualTo(new Replayed(new Reduced("count", 3, 5, 1), 1));
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("5");
	}

}
