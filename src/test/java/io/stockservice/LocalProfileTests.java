package io.stockservice;

import io.stockservice.fixture.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The README's first command: with the {@code local} profile the service brings its own
 * real Redis, so it answers on a machine with nothing but a JDK, and starts with no stock
 * at all.
 */
// The first request of a cold JVM connects and compiles as it goes; on a busy machine
// that takes longer than the production deadline, which is not what this test is about.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "stock.reduce.deadline=15s")
@AutoConfigureRestTestClient
@ActiveProfiles("local")
class LocalProfileTests {

	@Autowired
	RestTestClient http;

	@DynamicPropertySource
	static void embeddedRedisOnAFreePort(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", RedisServerProcess::freePort);
	}

	@Test
	void servesTheApiOnAnEmbeddedRedisThatStartsEmpty() {
		this.http.get().uri("/stock/count").exchange().expectStatus().isNotFound();
		this.http.put()
			.uri("/stock/count")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":100}")
			.exchange()
			.expectStatus()
			.isOk();
		this.http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(99);
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

}
