package io.stockservice.faults;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis with its append-only file fsynced on every write is killed with SIGKILL and
 * started again while reservations are held, confirmed and released. Every hold comes
 * back as it was (the list of holds due with it): confirmed stays sold, released stays
 * given back, a long hold is still held and can be confirmed, a keyed creation is
 * replayed rather than held again, and a brief hold whose time ran out while Redis was
 * down expires once it is back, once.
 */
class ReservationRestartFaultTests {

	static final JsonMapper json = JsonMapper.shared();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void holdsAndTheirExpiriesSurviveACrashWithTheAppendOnlyFileOn(String strategy) throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy,
						"stock.reservations.sweep-interval=100ms")) {
			RestTestClient http = service.http();
			http.put()
				.uri("/stock/a")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"quantity\":100}")
				.exchange()
				.expectStatus()
				.isOk();
			String brief = hold(http, null, 1, "PT2S").path("id").asString();
			String confirmed = hold(http, null, 2, "PT10M").path("id").asString();
			String released = hold(http, null, 4, "PT10M").path("id").asString();
			String kept = hold(http, null, 8, "PT10M").path("id").asString();
			JsonNode keyed = hold(http, "hold-1", 16, "PT10M");
			http.post().uri("/stock/reservations/" + confirmed + "/confirm").exchange().expectStatus().isOk();
			http.delete().uri("/stock/reservations/" + released).exchange().expectStatus().isOk();

			redis.crash();
			Thread.sleep(2500);
			redis.restart();

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(state(http, brief)).isEqualTo("expired"));
			assertThat(state(http, confirmed)).isEqualTo("confirmed");
			assertThat(state(http, released)).isEqualTo("released");
			assertThat(state(http, kept)).isEqualTo("held");
			assertThat(hold(http, "hold-1", 16, "PT10M").path("id").asString()).as("a retry after the crash")
				.isEqualTo(keyed.path("id").asString());
			assertThat(stock(http)).isEqualTo("{\"sku\":\"a\",\"available\":74,\"reserved\":24}");
			http.post().uri("/stock/reservations/" + kept + "/confirm").exchange().expectStatus().isOk();
			assertThat(stock(http)).isEqualTo("{\"sku\":\"a\",\"available\":74,\"reserved\":16}");
		}
	}

	static JsonNode hold(RestTestClient http, String key, long quantity, String ttl) {
		return json.readTree(http.post().uri("/stock/reservations").headers((headers) -> {
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"items\":[{\"sku\":\"a\",\"quantity\":" + quantity + "}],\"ttl\":\"" + ttl + "\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(String.class)
			.getResponseBody());
	}

	static String state(RestTestClient http, String id) {
		return json
			.readTree(
					http.get().uri("/stock/reservations/" + id).exchange().returnResult(String.class).getResponseBody())
			.path("state")
			.asString();
	}

	static String stock(RestTestClient http) {
		return http.get().uri("/stock/a").exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
	}

}
