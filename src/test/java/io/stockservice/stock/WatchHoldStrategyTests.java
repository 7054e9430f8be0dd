package io.stockservice.stock;

class WatchHoldStrategyTests extends HoldStrategyContractTests {

	@Override
	HoldStrategy strategy(RedisSessions sessions, HoldSettings settings) {
		return new WatchHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

}
