package io.stockservice.stock;

class WatchReservationsTests extends ReservationsContractTests {

	@Override
	HoldStrategy strategy(RedisSessions sessions, HoldSettings settings) {
		return new WatchHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

}
