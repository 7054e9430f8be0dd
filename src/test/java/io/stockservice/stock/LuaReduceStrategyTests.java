package io.stockservice.stock;

import java.util.concurrent.atomic.AtomicInteger;

import io.stockservice.stock.ReduceOutcome.Reduced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LuaReduceStrategyTests extends ReduceStrategyContractTests {

	@Override
	ReduceStrategy strategy(RedisSessions connections, ReduceListener listener) {
		return new LuaReduceStrategy(connections, this.keys, this.records, this.replication, RETRY, listener,
				Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	@Test
	void takesExactlyOneScriptCallPerBatch() {
		this.otherClient.set("stock:count", "10");
		AtomicInteger attempts = new AtomicInteger();
		ReduceListener counting = new ReduceListener() {

			@Override
			public void attempted() {
				attempts.incrementAndGet();
			}

		};

		strategy(this.client, counting).reduce(java.util.List.of(Claim.of("count", 1), Claim.of("count", 2)),
				Deadline.after(DEADLINE));

		assertThat(attempts).hasValue(1);
	}

	/** After a restart or SCRIPT FLUSH Redis no longer knows the script's SHA-1. */
	@Test
	void sendsItsScriptAgainWhenRedisHasForgottenIt() {
		this.otherClient.set("stock:count", "10");
		reduce("count", 1L);
		this.otherClient.scriptFlush();

		assertThat(reduce("count", 1L)).containsExactly(new Reduced("count", 1, 8, 1));
	}

}
