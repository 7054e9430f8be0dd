package io.stockservice.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every row of the reservations table, over real HTTP against the service on a real
 * Redis, once per strategy (the subclasses): hold, read, confirm, release and expiry,
 * each ending once; every refusal as problem+json changing nothing.
 */
@AutoConfigureRestTestClient
@Import(RealRedisConfiguration.class)
abstract class ReservationApiContractTests {

	static final String TWO_ITEMS = "{\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":1}],"
			+ "\"ttl\":\"PT5M\"}";

	@Autowired
	RestTestClient http;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	void seedRedis() {
		this.redis.flush();
		this.redis.commands().set("stock:a", "5");
		this.redis.commands().set("stock:b", "1");
	}

	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	RestTestClient.ResponseSpec create(String key, String json) {
		return this.http.post().uri("/stock/reservations").headers((headers) -> {
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		}).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	JsonNode created(String json) {
		String body = create(null, json).expectStatus().isCreated().returnResult(String.class).getResponseBody();
		return JsonMapper.shared().readTree(body);
	}

	RestTestClient.ResponseSpec confirm(String id) {
		return this.http.post().uri("/stock/reservations/" + id + "/confirm").exchange();
	}

	RestTestClient.ResponseSpec release(String id) {
		return this.http.delete().uri("/stock/reservations/" + id).exchange();
	}

	RestTestClient.ResponseSpec get(String id) {
		return this.http.get().uri("/stock/reservations/" + id).exchange();
	}

	String stock(String sku) {
		return this.http.get().uri("/stock/" + sku).exchange().returnResult(String.class).getResponseBody();
	}

	void assertStock(String sku, long available, long reserved) {
		assertThat(JsonMapper.shared().readTree(stock(sku))).isEqualTo(JsonMapper.shared()
			.readTree("{\"sku\":\"" + sku + "\",\"available\":" + available + ",\"reserved\":" + reserved + "}"));
	}

	@Test
	void aReservationIs201WithItsLocationHoldsItsUnitsAndReadsBack() {
		RestTestClient.ResponseSpec response = create(null, TWO_ITEMS);

		String body = response.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches("Location", "/stock/reservations/[a-z2-7]{26}\\.a")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		JsonNode reservation = JsonMapper.shared().readTree(body);
		assertThat(reservation.path("state").asString()).isEqualTo("held");
		assertThat(reservation.path("items").toString())
			.isEqualTo("[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":1}]");
		Instant expiresAt = Instant.parse(reservation.path("expiresAt").asString());
		assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
		get(reservation.path("id").asString()).expectStatus().isOk().expectBody().json(body, JsonCompareMode.STRICT);
		assertStock("a", 3, 2);
		assertStock("b", 0, 1);
	}

	@Test
	void aReservationWithoutATtlHoldsForTheDefaultTenMinutes() {
		JsonNode reservation = created("{\"items\":[{\"sku\":\"a\"}]}");

		assertThat(Duration.between(Instant.now(), Instant.parse(reservation.path("expiresAt").asString())))
			.isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
	}

	@Test
	void aReservationThatDoesNotFitIs409ListingEveryShortageAndHoldsNothing() {
		assertProblem(create(null, "{\"items\":[{\"sku\":\"a\",\"quantity\":6},{\"sku\":\"b\",\"quantity\":2}]}"), 409,
				"insufficient-stock")
			.jsonPath("$.shortages")
			.isEqualTo(List.of(Map.of("sku", "a", "requested", 6, "available", 5),
					Map.of("sku", "b", "requested", 2, "available", 1)));
		assertStock("a", 5, 0);
		assertStock("b", 1, 0);
	}

	@Test
	void aReservationOfASkuWithoutStockIs404NamingIt() {
		assertProblem(create(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"nothing\"}]}"), 404, "unknown-sku")
			.jsonPath("$.sku")
			.isEqualTo("nothing");
		assertStock("a", 5, 0);
	}

	@Test
	void aBadReservationRequestIs400NamingTheFieldAndHoldsNothing() {
		assertProblem(create(null, "{\"items\":[]}"), 400, "invalid-request").jsonPath("$.errors[0].field")
			.isEqualTo("items");
		assertProblem(create(null, "{\"ttl\":\"PT5M\"}"), 400, "invalid-request").jsonPath("$.errors[0].field")
			.isEqualTo("items");
		assertProblem(create(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"a\"}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items");
		for (String ttl : List.of("\"5m\"", "\"PT0S\"", "\"PT0.5S\"", "\"PT24H0.001S\"", "\"-PT5M\"", "300")) {
			assertProblem(create(null, "{\"items\":[{\"sku\":\"a\"}],\"ttl\":" + ttl + "}"), 400, "invalid-request")
				.jsonPath("$.errors[0].field")
				.isEqualTo("ttl");
		}
		assertStock("a", 5, 0);
		assertThat(this.redis.commands().keys("stock-service:*")).isEmpty();
	}

	@Test
	void aTtlOfOneSecondAndOfTwentyFourHoursAreAccepted() {
		create(null, "{\"items\":[{\"sku\":\"a\"}],\"ttl\":\"PT1S\"}").expectStatus().isCreated();
		create(null, "{\"items\":[{\"sku\":\"a\"}],\"ttl\":\"PT24H\"}").expectStatus().isCreated();
	}

	@Test
	void aRetryWithItsKeyIsReplayedAndHoldsNothingMoreAndAnotherRequestWithTheKeyIs422() {
		String first = create("hold-1", TWO_ITEMS).expectStatus()
			.isCreated()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.returnResult(String.class)
			.getResponseBody();

		create("hold-1", TWO_ITEMS).expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody()
			.json(first, JsonCompareMode.STRICT);
		assertProblem(create("hold-1", "{\"items\":[{\"sku\":\"a\",\"quantity\":2}],\"ttl\":\"PT5M\"}"), 422,
				"idempotency-key-reused");
		assertStock("a", 3, 2);
	}

	@Test
	void getOfAnUnknownReservationIs404AndOfAMalformedId400() {
		assertProblem(get("aaaaaaaaaaaaaaaaaaaaaaaaaa.a"), 404, "unknown-reservation").jsonPath("$.id")
			.isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaaa.a");
		assertProblem(get("not-an-id"), 400, "invalid-request").jsonPath("$.errors[0].field").isEqualTo("id");
		assertProblem(confirm("aaaaaaaaaaaaaaaaaaaaaaaaaa.a"), 404, "unknown-reservation");
		assertProblem(release("aaaaaaaaaaaaaaaaaaaaaaaaaa.a"), 404, "unknown-reservation");
	}

	@Test
	void confirmSellsTheUnitsAndAgainIs200AgainAndAReleaseAfterItIs409Confirmed() {
		String id = created(TWO_ITEMS).path("id").asString();

		confirm(id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("confirmed");
		confirm(id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("confirmed");
		assertProblem(release(id), 409, "reservation-confirmed").jsonPath("$.id")
			.isEqualTo(id)
			.jsonPath("$.state")
			.isEqualTo("confirmed");
		get(id).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("confirmed")
			.jsonPath("$.endedAt")
			.exists();
		assertStock("a", 3, 0);
		assertStock("b", 0, 0);
	}

	@Test
	void releaseGivesTheUnitsBackAndAgainIs200AgainAndAConfirmAfterItIs409Released() {
		String id = created(TWO_ITEMS).path("id").asString();

		release(id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("released");
		release(id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("released");
		assertProblem(confirm(id), 409, "reservation-released").jsonPath("$.state").isEqualTo("released");
		assertStock("a", 5, 0);
		assertStock("b", 1, 0);
	}

	@Test
	void aReservationExpiresOnItsOwnAndThenConfirmAndReleaseAre409Expired() {
		String id = created("{\"items\":[{\"sku\":\"a\",\"quantity\":2}],\"ttl\":\"PT1S\"}").path("id").asString();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> get(id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("expired"));
		assertProblem(confirm(id), 409, "reservation-expired");
		assertProblem(release(id), 409, "reservation-expired");
		assertStock("a", 5, 0);
	}

	@Test
	void putSetsAvailableAndLeavesHoldsAlone() {
		String id = created(TWO_ITEMS).path("id").asString();

		this.http.put()
			.uri("/stock/a")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":50}")
			.exchange()
			.expectStatus()
			.isOk();
		assertStock("a", 50, 2);
		release(id).expectStatus().isOk();
		assertStock("a", 52, 0);
	}

	@Test
	void reservationsAreCountedByEventAndUnits() {
		String confirmed = created(TWO_ITEMS).path("id").asString();
		String released = created("{\"items\":[{\"sku\":\"a\"}]}").path("id").asString();
		confirm(confirmed).expectStatus().isOk();
		release(released).expectStatus().isOk();

		String scrape = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(scrape).containsPattern("stock_reservations_total\\{[^}]*event=\"held\"[^}]*} [2-9]");
		assertThat(scrape).containsPattern("stock_reservations_total\\{[^}]*event=\"confirmed\"[^}]*} [1-9]");
		assertThat(scrape).containsPattern("stock_reservations_units_total\\{[^}]*event=\"confirmed\"[^}]*} [3-9]");
		assertThat(scrape).containsPattern("stock_reservations_requests_total\\{[^}]*outcome=\"success\"[^}]*} [2-9]");
		assertThat(scrape).contains("stock_reservations_expiry_lateness_seconds_bucket{");
	}

}
