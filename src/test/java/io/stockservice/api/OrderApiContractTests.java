package io.stockservice.api;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /stock/reduce} with {@code items} (an order), every row of the API table,
 * over real HTTP against the service on a real Redis, once per strategy (the subclasses):
 * all or nothing, every refusal as problem+json taking nothing.
 */
@AutoConfigureRestTestClient
@Import(RealRedisConfiguration.class)
abstract class OrderApiContractTests {

	@Autowired
	RestTestClient http;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	void seedRedis() {
		this.redis.flush();
		this.redis.commands().set("stock:a", "5");
		this.redis.commands().set("stock:b", "1");
		this.redis.commands().set("stock:c", "0");
	}

	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	RestTestClient.ResponseSpec order(String key, String json) {
		return this.http.post().uri("/stock/reduce").headers((headers) -> {
			if (key != null) {
				headers.set("Idempotency-Key", key);
			}
		}).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	void assertUnchanged() {
		assertThat(this.redis.commands().keys("*")).containsExactlyInAnyOrder("stock:a", "stock:b", "stock:c");
		assertThat(List.of(this.redis.commands().get("stock:a"), this.redis.commands().get("stock:b"),
				this.redis.commands().get("stock:c")))
			.containsExactly("5", "1", "0");
	}

	@Test
	void anOrderTakesEveryItemAndAnswersWhatEachLeft() {
		order(null, "{\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":1}]}").expectStatus()
			.isOk()
			.expectBody()
			.json("{\"items\":[{\"sku\":\"a\",\"reduced\":2,\"available\":3},{\"sku\":\"b\",\"reduced\":1,\"available\":0}],"
					+ "\"attempts\":1}", JsonCompareMode.STRICT);
		assertThat(this.redis.commands().get("stock:a")).isEqualTo("3");
		assertThat(this.redis.commands().get("stock:b")).isEqualTo("0");
	}

	@Test
	void anItemWithoutAQuantityTakesOneUnit() {
		order(null, "{\"items\":[{\"sku\":\"a\"}]}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].reduced")
			.isEqualTo(1);
	}

	@Test
	void anOrderWithShortItemsIs409ListingEveryShortageAndTakesNothing() {
		assertProblem(order(null,
				"{\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":2},{\"sku\":\"c\",\"quantity\":1}]}"),
				409, "insufficient-stock")
			.jsonPath("$.shortages")
			.isEqualTo(List.of(Map.of("sku", "b", "requested", 2, "available", 1),
					Map.of("sku", "c", "requested", 1, "available", 0)))
			.jsonPath("$.attempts")
			.isEqualTo(1);
		assertUnchanged();
	}

	@Test
	void anOrderNamingSkusWithoutStockIs404NamingTheFirstAndTakesNothing() {
		assertProblem(order(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"nothing\"},{\"sku\":\"none\"}]}"), 404,
				"unknown-sku")
			.jsonPath("$.sku")
			.isEqualTo("nothing");
		assertUnchanged();
		assertThat(this.redis.commands().exists("stock:nothing", "stock:none")).isZero();
	}

	@Test
	void anEmptyOrderIs400NamingItems() {
		assertProblem(order(null, "{\"items\":[]}"), 400, "invalid-request").jsonPath("$.errors[0].field")
			.isEqualTo("items")
			.jsonPath("$.errors[0].reason")
			.isEqualTo("must list 1 to 100 items");
	}

	@Test
	void anOrderOfMoreThanAHundredItemsIs400NamingItemsAndTakesNothing() {
		String items = IntStream.range(0, 101)
			.mapToObj((i) -> "{\"sku\":\"s" + i + "\"}")
			.collect(Collectors.joining(","));
		IntStream.range(0, 101).forEach((i) -> this.redis.commands().set("stock:s" + i, "1"));

		assertProblem(order(null, "{\"items\":[" + items + "]}"), 400, "invalid-request").jsonPath("$.errors[0].field")
			.isEqualTo("items");
		assertThat(this.redis.commands().get("stock:s0")).isEqualTo("1");
	}

	@Test
	void anOrderListingASkuTwiceIs400NamingItemsAndTakesNothing() {
		assertProblem(order(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"},{\"sku\":\"a\",\"quantity\":2}]}"), 400,
				"invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items")
			.jsonPath("$.errors[0].reason")
			.isEqualTo("lists the SKU a more than once");
		assertUnchanged();
	}

	@Test
	void anOrderWithASkuOrQuantityBesideItsItemsIs400() {
		assertProblem(order(null, "{\"sku\":\"a\",\"items\":[{\"sku\":\"b\"}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items");
		assertProblem(order(null, "{\"quantity\":2,\"items\":[{\"sku\":\"b\"}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items");
		assertUnchanged();
	}

	@Test
	void aBadItemIs400NamingItsField() {
		assertProblem(order(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b*\"}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items[1].sku");
		assertProblem(order(null, "{\"items\":[{\"sku\":\"a\",\"quantity\":0}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items[0].quantity");
		assertProblem(order(null, "{\"items\":[null]}"), 400, "invalid-request").jsonPath("$.errors[0].field")
			.isEqualTo("items[0]");
		assertProblem(order(null, "{\"items\":[{\"sku\":\"a\",\"quantiy\":1}]}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("items[0].quantiy");
		assertUnchanged();
	}

	@Test
	void aRetryOfAnOrderWithItsKeyIsReplayedAndAnotherOrderWithTheKeyIs422() {
		String body = "{\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":1}]}";
		order("order-1", body).expectStatus().isOk();

		order("order-1", body).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody()
			.jsonPath("$.items[0].available")
			.isEqualTo(3);
		assertProblem(order("order-1", "{\"items\":[{\"sku\":\"a\",\"quantity\":1}]}"), 422, "idempotency-key-reused");
		assertThat(this.redis.commands().get("stock:a")).isEqualTo("3");
		assertThat(this.redis.commands().get("stock:b")).isEqualTo("0");
	}

	@Test
	void aRefusedOrderIsReplayedWithItsShortagesAfterARestock() {
		String body = "{\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":2}]}";
		order("order-2", body).expectStatus().isEqualTo(409);
		this.redis.commands().set("stock:b", "10");

		assertProblem(order("order-2", body), 409, "insufficient-stock").jsonPath("$.shortages[0].available")
			.isEqualTo(1);
		assertThat(this.redis.commands().get("stock:b")).isEqualTo("10");
	}

	@Test
	void ordersAreCountedApartByOutcome() {
		order(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}").expectStatus().isOk();
		order(null, "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}").expectStatus().isEqualTo(409);

		String scrape = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(scrape).containsPattern("stock_reduce_orders_total\\{[^}]*outcome=\"success\"[^}]*} [1-9]");
		assertThat(scrape).containsPattern("stock_reduce_orders_total\\{[^}]*outcome=\"insufficient\"[^}]*} [1-9]");
		assertThat(scrape).contains("stock_reduce_order_items_count{");
	}

}
