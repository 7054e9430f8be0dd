package io.stockservice.stock;

import java.time.Duration;

class LuaSpanningOrdersTests extends SpanningOrdersContractTests {

	@Override
	HoldStrategy holds(RedisSessions sessions, HoldSettings settings) {
		return new LuaHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	@Override
	ReduceStrategy reductions(RedisSessions sessions) {
		return new LuaReduceStrategy(sessions, this.keys, new IdempotencyRecords(Duration.ofMinutes(10)),
				Replication.none(), this.settings.retry(), ReduceListener.NONE, Sleeper.SYSTEM,
				RetryPolicy.THREAD_LOCAL_JITTER);
	}

}
