package io.stockservice.api;

import java.util.List;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.StockKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.stockservice.fixture.Problems.TYPES;
import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the API table, over real HTTP, against the service on a real Redis: each
 * success, and each refusal as problem+json with its type, status and the facts a client
 * needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "stock.reduce.max-attempts=3", "stock.max-quantity=1000" })
@AutoConfigureRestTestClient
@Import({ RealRedisConfiguration.class, StockApiTests.ForcedConflicts.class })
class StockApiTests {

	@Autowired
	RestTestClient http;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	/**
	 * For the SKU {@code contended} only, another client writes the stock between every
	 * read and EXEC, so every attempt conflicts and the retry budget runs out.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ForcedConflicts {

		@Bean
		ReduceListener alwaysConflictOnContended() {
			TestRedis redis = TestRedis.shared();
			StockKeys keys = StockKeys.defaults();
			return new ReduceListener() {

				@Override
				public void watched(List<String> skus) {
					if (skus.contains("contended")) {
						redis.commands().set(keys.stock("contended"), redis.commands().get(keys.stock("contended")));
					}
				}

			};
		}

	}

	RestTestClient.ResponseSpec post(String uri, String json) {
		return this.http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	RestTestClient.ResponseSpec put(String uri, String json) {
		return this.http.put().uri(uri).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	@Test
	void reduceTakesOneUnitAndAnswersWhatIsLeft() {
		this.redis.commands().set("stock:count", "100");

		post("/stock/reduce", "{\"sku\":\"count\",\"quantity\":1}").expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.json("{\"sku\":\"count\",\"reduced\":1,\"available\":99,\"attempts\":1}", JsonCompareMode.STRICT);
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("99");
	}

	@Test
	void reduceTakesOneUnitWhenTheQuantityIsLeftOut() {
		this.redis.commands().set("stock:count", "100");

		post("/stock/reduce", "{\"sku\":\"count\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.reduced")
			.isEqualTo(1)
			.jsonPath("$.available")
			.isEqualTo(99);
	}

	@Test
	void reduceOfMoreThanIsLeftIs409WithWhatIsAvailableAndWritesNothing() {
		this.redis.commands().set("stock:count", "2");

		assertProblem(post("/stock/reduce", "{\"sku\":\"count\",\"quantity\":3}"), 409, "insufficient-stock")
			.jsonPath("$.status")
			.isEqualTo(409)
			.jsonPath("$.available")
			.isEqualTo(2)
			.jsonPath("$.requested")
			.isEqualTo(3)
			.jsonPath("$.sku")
			.isEqualTo("count");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("2");
	}

	@Test
	void reduceOfAnUnknownSkuIs404AndCreatesNothing() {
		assertProblem(post("/stock/reduce", "{\"sku\":\"nothing\",\"quantity\":1}"), 404, "unknown-sku")
			.jsonPath("$.sku")
			.isEqualTo("nothing");
		assertThat(this.redis.commands().exists("stock:nothing")).isZero();
	}

	@Test
	void reduceOfInvalidInputIs400NamingTheFieldAndWritesNothing() {
		this.redis.commands().set("stock:count", "100");

		assertProblem(post("/stock/reduce", "{\"sku\":\"count\",\"quantity\":0}"), 400, "invalid-request")
			.jsonPath("$.errors[0].field")
			.isEqualTo("quantity")
			.jsonPath("$.errors[0].reason")
			.isEqualTo("must be between 1 and 1000");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("100");
	}

	@Test
	void reduceWhoseRetriesAllConflictIs503WithRetryAfterAndTakesNothing() {
		this.redis.commands().set("stock:contended", "10");

		post("/stock/reduce", "{\"sku\":\"contended\"}").expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(TYPES + "contention")
			.jsonPath("$.attempts")
			.isEqualTo(3);
		assertThat(this.redis.commands().get("stock:contended")).isEqualTo("10");
	}

	@Test
	void reduceOfACorruptStockIs500AndLeavesTheValueUntouched() {
		this.redis.commands().set("stock:count", "garbage");

		assertProblem(post("/stock/reduce", "{\"sku\":\"count\"}"), 500, "corrupt-stock").jsonPath("$.sku")
			.isEqualTo("count");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("garbage");
	}

	/**
	 * Another application's hash under one request's record key: that request alone is
	 * refused, and says which key; the stock is not blamed, and others sell on.
	 */
	@Test
	void reduceWhoseRecordKeyHoldsSomethingElseIs500NamingTheKeyAndOthersStillSell() {
		this.redis.commands().set("stock:count", "10");
		String record = "stock-service:idempotency:{stock:count}:foreign";
		this.redis.commands().hset(record, "owner", "another application");

		assertProblem(reduceWithKey("foreign", "{\"sku\":\"count\",\"quantity\":5}"), 500, "corrupt-idempotency-record")
			.jsonPath("$.key")
			.isEqualTo(record)
			.jsonPath("$.sku")
			.isEqualTo("count");
		post("/stock/reduce", "{\"sku\":\"count\",\"quantity\":2}").expectStatus().isOk();
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("8");
		assertThat(this.redis.commands().hgetall(record)).containsOnlyKeys("owner");
	}

	@Test
	void putSetsTheLevel() {
		put("/stock/count", "{\"quantity\":100}").expectStatus()
			.isOk()
			.expectBody()
			.json("{\"sku\":\"count\",\"available\":100}", JsonCompareMode.STRICT);
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("100");
	}

	@Test
	void putOfANegativeLevelIs400AndWritesNothing() {
		put("/stock/count", "{\"quantity\":-1}").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("quantity");
		assertThat(this.redis.commands().exists("stock:count")).isZero();
	}

	@Test
	void putWithAnInvalidSkuIs400NamingTheSku() {
		put("/stock/bad*sku", "{\"quantity\":1}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("sku");
		assertThat(this.redis.commands().keys("*")).isEmpty();
	}

	@Test
	void getAnswersTheLevelAndTheUnitsReservedReadTogether() {
		this.redis.commands().set("stock:count", "42");

		this.http.get()
			.uri("/stock/count")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"sku\":\"count\",\"available\":42,\"reserved\":0}", JsonCompareMode.STRICT);
		this.redis.commands().set("stock-service:reserved:{stock:count}", "5");
		this.http.get()
			.uri("/stock/count")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"sku\":\"count\",\"available\":42,\"reserved\":5}", JsonCompareMode.STRICT);
	}

	@Test
	void getOfAStockWhoseReservedUnitsAreCorruptIs500NamingTheSku() {
		this.redis.commands().set("stock:count", "42");
		this.redis.commands().set("stock-service:reserved:{stock:count}", "garbage");

		assertProblem(this.http.get().uri("/stock/count").exchange(), 500, "corrupt-stock").jsonPath("$.sku")
			.isEqualTo("count");
	}

	@Test
	void getOfAnUnknownSkuIs404() {
		assertProblem(this.http.get().uri("/stock/nothing").exchange(), 404, "unknown-sku");
	}

	@Test
	void restockAddsUnitsAndAnswersTheNewLevel() {
		this.redis.commands().set("stock:count", "10");

		post("/stock/count/restock", "{\"quantity\":5}").expectStatus()
			.isOk()
			.expectBody()
			.json("{\"sku\":\"count\",\"available\":15}", JsonCompareMode.STRICT);
	}

	@Test
	void restockOfAnUnknownSkuIs404AndCreatesNothing() {
		post("/stock/nothing/restock", "{\"quantity\":5}").expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(TYPES + "unknown-sku");
		assertThat(this.redis.commands().exists("stock:nothing")).isZero();
	}

	@Test
	void restockWithoutAQuantityIs400() {
		this.redis.commands().set("stock:count", "10");

		post("/stock/count/restock", "{}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("quantity")
			.jsonPath("$.errors[0].reason")
			.isEqualTo("is required");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("10");
	}

	@Test
	void deleteRemovesTheStockAndAnswers204EvenWhenThereWasNone() {
		this.redis.commands().set("stock:count", "10");

		this.http.delete().uri("/stock/count").exchange().expectStatus().isNoContent();
		this.http.delete().uri("/stock/count").exchange().expectStatus().isNoContent();
		assertThat(this.redis.commands().exists("stock:count")).isZero();
	}

	@Test
	void anUnknownPathIsAProblemToo() {
		assertProblem(this.http.get().uri("/nothing/here").exchange(), 404, "not-found");
	}

	@Test
	void theWrongMethodIsA405Problem() {
		this.http.get().uri("/stock/reduce/x").exchange().expectStatus().isNotFound();
		assertProblem(this.http.patch().uri("/stock/count").exchange(), 405, "method-not-allowed");
	}

	@Test
	void theActuatorExposesOnlyHealthInfoAndPrometheus() {
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/info").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		for (String hidden : List.of("env", "beans", "configprops", "heapdump", "metrics", "loggers")) {
			this.http.get().uri("/actuator/" + hidden).exchange().expectStatus().isNotFound();
		}
	}

	@Test
	void everyReductionIsCountedByOutcomeAndStrategy() {
		this.redis.commands().set("stock:count", "1");
		post("/stock/reduce", "{\"sku\":\"count\"}").expectStatus().isOk();
		post("/stock/reduce", "{\"sku\":\"count\"}").expectStatus().isEqualTo(409);

		String scrape = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();

		assertThat(scrape)
			.containsPattern("stock_reduce_requests_total\\{[^}]*outcome=\"success\",strategy=\"watch\"[^}]*} [1-9]");
		assertThat(scrape).containsPattern(
				"stock_reduce_requests_total\\{[^}]*outcome=\"insufficient\",strategy=\"watch\"[^}]*} [1-9]");
		assertThat(scrape).contains("stock_reduce_conflicts_total{");
		assertThat(scrape).contains("stock_reduce_attempts_bucket{");
		assertThat(scrape).contains("stock_reduce_duration_seconds_bucket{");
	}

	RestTestClient.ResponseSpec reduceWithKey(String key, String json) {
		return this.http.post()
			.uri("/stock/reduce")
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.exchange();
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyGetsTheSameAnswerMarkedAsAReplayAndTakesNothing() {
		this.redis.commands().set("stock:count", "10");
		reduceWithKey("order-1", "{\"sku\":\"count\",\"quantity\":2}").expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed");

		reduceWithKey("order-1", "{\"sku\":\"count\",\"quantity\":2}").expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody()
			.json("{\"sku\":\"count\",\"reduced\":2,\"available\":8,\"attempts\":1}", JsonCompareMode.STRICT);
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("8");
	}

	@Test
	void aReplayedRefusalKeepsItsStatusAndBody() {
		this.redis.commands().set("stock:count", "1");
		reduceWithKey("order-2", "{\"sku\":\"count\",\"quantity\":2}").expectStatus().isEqualTo(409);
		this.redis.commands().set("stock:count", "50");

		reduceWithKey("order-2", "{\"sku\":\"count\",\"quantity\":2}").expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(1);
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("50");
	}

	@Test
	void theSameIdempotencyKeyWithAnotherBodyIs422AndTakesNothing() {
		this.redis.commands().set("stock:count", "10");
		reduceWithKey("order-3", "{\"sku\":\"count\",\"quantity\":2}").expectStatus().isOk();

		assertProblem(reduceWithKey("order-3", "{\"sku\":\"count\",\"quantity\":3}"), 422, "idempotency-key-reused");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("8");
	}

	@Test
	void anIdempotencyKeyOfInvisibleCharactersIs400NamingTheHeader() {
		this.redis.commands().set("stock:count", "10");

		reduceWithKey("has space", "{\"sku\":\"count\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("Idempotency-Key");
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("10");
	}

}
