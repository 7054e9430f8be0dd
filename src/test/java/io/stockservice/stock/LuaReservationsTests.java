package io.stockservice.stock;

class LuaReservationsTests extends ReservationsContractTests {

	@Override
	HoldStrategy strategy(RedisSessions sessions, HoldSettings settings) {
		return new LuaHoldStrategy(sessions, settings, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

}
