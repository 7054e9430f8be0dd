package io.stockservice.api;

import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stock.reduce.strategy=lua", "stock.reservations.sweep-interval=100ms" })
class LuaReservationApiTests extends ReservationApiContractTests {

}
