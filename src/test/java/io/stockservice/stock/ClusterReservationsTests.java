package io.stockservice.stock;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.SlotHash;
import io.stockservice.fixture.ClusterTopology;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders and reservations on a real Redis Cluster of three masters (each with a replica
 * that confirms every write), through the whole service over HTTP, once per strategy. The
 * SKUs {@code a}, {@code b} and {@code c} lie in slots of three different masters, so an
 * order or a hold on them is one hold per slot; two SKUs found to share a slot are one
 * transaction. Clients see all or nothing either way; a reservation whose instance died
 * before its anchor was made gives its other parts back when its time runs out.
 */
class ClusterReservationsTests {

	static final JsonMapper json = JsonMapper.shared();

	static ClusterTopology cluster;

	/** Two SKUs whose stock keys hash to one slot. */
	static List<String> sameSlot;

	@BeforeAll
	static void startCluster() {
		cluster = ClusterTopology.start();
		sameSlot = twoSkusOfOneSlot();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void emptyCluster() {
		cluster.masters().forEach((master) -> master.commands().flushall());
	}

	static List<String> twoSkusOfOneSlot() {
		Map<Integer, String> seen = new java.util.HashMap<>();
		for (int i = 0;; i++) {
			String sku = "s" + i;
			String other = seen.putIfAbsent(SlotHash.getSlot("stock:" + sku), sku);
			if (other != null) {
				return List.of(other, sku);
			}
		}
	}

	static RunningService service(String strategy) {
		return RunningService.withProperties("spring.data.redis.cluster.nodes=" + cluster.clusterNodes(),
				"stock.reduce.strategy=" + strategy, "stock.reservations.sweep-interval=100ms");
	}

	static void set(RestTestClient http, String sku, long level) {
		http.put()
			.uri("/stock/" + sku)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"quantity\":" + level + "}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	static RestTestClient.ResponseSpec post(RestTestClient http, String uri, String key, String body) {
		return http.post().uri(uri).headers((headers) -> {
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		}).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
	}

	static JsonNode read(RestTestClient.ResponseSpec response, int status) {
		return json.readTree(response.expectStatus().isEqualTo(status).returnResult(String.class).getResponseBody());
	}

	static String stock(RestTestClient http, String sku) {
		JsonNode stock = read(http.get().uri("/stock/" + sku).exchange(), 200);
		return stock.path("available").asLong() + "+" + stock.path("reserved").asLong();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void anOrderAcrossMastersIsAllOrNothing(String strategy) {
		assertThat(List.of(cluster.masterForKey("stock:a"), cluster.masterForKey("stock:b"),
				cluster.masterForKey("stock:d")))
			.as("a, b and d on three masters")
			.doesNotHaveDuplicates();
		try (RunningService service = service(strategy)) {
			RestTestClient http = service.http();
			set(http, "a", 10);
			set(http, "b", 5);
			set(http, "d", 1);

			JsonNode sold = read(post(http, "/stock/reduce", "order-1",
					"{\"items\":[{\"sku\":\"d\",\"quantity\":1},{\"sku\":\"a\",\"quantity\":4},{\"sku\":\"b\",\"quantity\":5}]}"),
					200);
			JsonNode refused = read(post(http, "/stock/reduce", null,
					"{\"items\":[{\"sku\":\"a\",\"quantity\":1},{\"sku\":\"b\",\"quantity\":1},{\"sku\":\"d\",\"quantity\":1}]}"),
					409);
			JsonNode replayed = read(post(http, "/stock/reduce", "order-1",
					"{\"items\":[{\"sku\":\"d\",\"quantity\":1},{\"sku\":\"a\",\"quantity\":4},{\"sku\":\"b\",\"quantity\":5}]}"),
					200);

			assertThat(sold.path("items").toString()).isEqualTo("[{\"sku\":\"d\",\"reduced\":1,\"available\":0},"
					+ "{\"sku\":\"a\",\"reduced\":4,\"available\":6},{\"sku\":\"b\",\"reduced\":5,\"available\":0}]");
			assertThat(refused.path("shortages").toString()).isEqualTo(
					"[{\"sku\":\"b\",\"requested\":1,\"available\":0},{\"sku\":\"d\",\"requested\":1,\"available\":0}]");
			assertThat(replayed).isEqualTo(sold);
			assertThat(List.of(stock(http, "a"), stock(http, "b"), stock(http, "d"))).containsExactly("6+0", "0+0",
					"0+0");
			assertThat(cluster.masterForKey("stock:a").commands().get("stock:a")).isEqualTo("6");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void anOrderWithinOneSlotIsOneTransactionOnItsMaster(String strategy) {
		try (RunningService service = service(strategy)) {
			RestTestClient http = service.http();
			set(http, sameSlot.get(0), 3);
			set(http, sameSlot.get(1), 3);

			read(post(http, "/stock/reduce", null, "{\"items\":[{\"sku\":\"" + sameSlot.get(0) + "\",\"quantity\":2},"
					+ "{\"sku\":\"" + sameSlot.get(1) + "\",\"quantity\":3}]}"), 200);

			assertThat(List.of(stock(http, sameSlot.get(0)), stock(http, sameSlot.get(1)))).containsExactly("1+0",
					"0+0");
			assertThat(cluster.masters()
				.stream()
				.mapToLong((master) -> master.commands().keys("stock-service:hold:*").size())
				.sum()).as("holds").isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void aHoldAcrossMastersIsConfirmedReleasedOrExpiredInEveryPart(String strategy) {
		try (RunningService service = service(strategy)) {
			RestTestClient http = service.http();
			set(http, "a", 10);
			set(http, "b", 10);
			set(http, "d", 10);
			String items = "[{\"sku\":\"b\",\"quantity\":1},{\"sku\":\"d\",\"quantity\":2},{\"sku\":\"a\",\"quantity\":3}]";

			String confirmed = read(post(http, "/stock/reservations", "hold-1", "{\"items\":" + items + "}"), 201)
				.path("id")
				.asString();
			String released = read(post(http, "/stock/reservations", null, "{\"items\":" + items + "}"), 201).path("id")
				.asString();
			String expiring = read(
					post(http, "/stock/reservations", null, "{\"items\":" + items + ",\"ttl\":\"PT1S\"}"), 201)
				.path("id")
				.asString();
			assertThat(confirmed).endsWith(".a");
			assertThat(List.of(stock(http, "a"), stock(http, "b"), stock(http, "d"))).containsExactly("1+9", "7+3",
					"4+6");
			assertThat(read(post(http, "/stock/reservations", "hold-1", "{\"items\":" + items + "}"), 201).path("id")
				.asString()).isEqualTo(confirmed);
			read(post(http, "/stock/reservations", null,
					"{\"items\":[{\"sku\":\"a\",\"quantity\":1},{\"sku\":\"d\",\"quantity\":5}]}"), 409);

			read(http.post().uri("/stock/reservations/" + confirmed + "/confirm").exchange(), 200);
			read(http.delete().uri("/stock/reservations/" + released).exchange(), 200);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(
						read(http.get().uri("/stock/reservations/" + expiring).exchange(), 200).path("state")
							.asString())
					.isEqualTo("expired"));

			assertThat(List.of(stock(http, "a"), stock(http, "b"), stock(http, "d"))).containsExactly("7+0", "9+0",
					"8+0");
			assertThat(cluster.masterForKey("stock:d")
				.commands()
				.hget("stock-service:hold:{stock:d}:" + confirmed, "state")).isEqualTo("confirmed");
			assertThat(cluster.masterForKey("stock:b")
				.commands()
				.hget("stock-service:hold:{stock:b}:" + released, "state")).isEqualTo("released");
		}
	}

	/**
	 * The instance took the parts of {@code b} and {@code d} and died before the anchor:
	 * when the reservation's time runs out, the sweeper marks the anchor void and the
	 * parts give their units back.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void thePartsOfAHoldWhoseInstanceDiedBeforeItsAnchorComeBack(String strategy) {
		try (RunningService service = service(strategy)) {
			RestTestClient http = service.http();
			set(http, "a", 10);
			set(http, "b", 10);
			set(http, "d", 10);
			RedisSessions sessions = service.bean(io.stockservice.redis.TransactionConnections.class);
			ReservationPlan plan = ReservationPlan.of(HoldStrategyContractTests.items("a", 1, "b", 2, "d", 3),
					(sku) -> sessions.slot("stock:" + sku));
			HoldStrategy strategy_ = service.bean(HoldStrategy.class);
			Deadline deadline = Deadline.after(Duration.ofSeconds(5));
			long expiresAt = service.bean(HoldsDue.class).add(plan.dueEntry(), Duration.ofSeconds(1), deadline);
			for (ReservationPlan.Part part : plan.others()) {
				assertThat(strategy_.create(PartCreation.hold(plan.id(), part.anchorSku(), part.items(), expiresAt),
						deadline))
					.isInstanceOf(PartCreated.Taken.class);
			}
			assertThat(List.of(stock(http, "b"), stock(http, "d"))).containsExactly("8+2", "7+3");

			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(List.of(stock(http, "a"), stock(http, "b"), stock(http, "d")))
					.containsExactly("10+0", "10+0", "10+0"));
			assertThat(cluster.masterForKey("stock:a")
				.commands()
				.hget("stock-service:hold:{stock:a}:" + plan.id(), "state")).isEqualTo("void");
			http.get().uri("/stock/reservations/" + plan.id()).exchange().expectStatus().isNotFound();
		}
	}

}
