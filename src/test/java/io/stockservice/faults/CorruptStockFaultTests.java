package io.stockservice.faults;

import java.time.Duration;
import java.util.List;

import io.stockservice.faults.ReduceLoad.Answer;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another client overwrites a stock key with garbage while the service sells from it and
 * from another SKU. From then on every call on that SKU is a 500 {@code corrupt-stock}
 * naming it, and the garbage stays exactly as written (a DECRBY on {@code "-5"} would
 * have made it {@code "-6"}); the other SKU sells on, every unit accounted for. Once an
 * operator sets a level with PUT, the SKU sells again.
 */
class CorruptStockFaultTests {

	static final long STOCK = 1_000_000;

	/** Values a stock key can hold that are not a stock level. */
	static final List<String> GARBAGE = List.of("-5", "1.5", "007", " 5", "1e3", "9007199254740993", "");

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void aCorruptKeyIs500LeftUntouchedAndOtherSkusSellOn(String strategy) {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy)) {
			redis.commands().set("stock:victim", Long.toString(STOCK));
			redis.commands().set("stock:bystander", Long.toString(STOCK));
			try (ReduceLoad load = ReduceLoad.plain(service.uri(), 6, Duration.ofSeconds(30), "victim", "bystander")) {
				Tally victim = load.tally("victim");
				Tally bystander = load.tally("bystander");
				await().atMost(Duration.ofMinutes(1)).until(() -> victim.successes() >= 20);

				redis.commands().set("stock:victim", "garbage");
				long before = bystander.successes();
				await().atMost(Duration.ofMinutes(1))
					.until(() -> victim.calls(Answer.Kind.CORRUPT) >= 20 && bystander.successes() >= before + 50);
				load.stop();

				assertThat(load.unexpected()).isEmpty();
				assertThat(redis.commands().get("stock:victim")).isEqualTo("garbage");
				bystander.assertAccountsFor(STOCK, Long.parseLong(redis.commands().get("stock:bystander")));
			}
			RestTestClient http = service.http();
			for (String garbage : GARBAGE) {
				redis.commands().set("stock:victim", garbage);
				assertRefusedAsCorrupt(http);
				assertThat(redis.commands().get("stock:victim")).as("after %s", garbage).isEqualTo(garbage);
			}
			redis.commands().del("stock:victim");
			redis.commands().rpush("stock:victim", "5");
			assertRefusedAsCorrupt(http);
			assertThat(redis.commands().lrange("stock:victim", 0, -1)).containsExactly("5");

			json(http.put().uri("/stock/victim"), "{\"quantity\":5}").exchange().expectStatus().isOk();
			reduce(http).expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(4);
		}
	}

	static void assertRefusedAsCorrupt(RestTestClient http) {
		assertCorrupt(reduce(http));
		assertCorrupt(http.get().uri("/stock/victim").exchange());
		assertCorrupt(json(http.post().uri("/stock/victim/restock"), "{\"quantity\":1}").exchange());
	}

	static void assertCorrupt(RestTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(500)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://stockservice.io/problems/corrupt-stock")
			.jsonPath("$.sku")
			.isEqualTo("victim");
	}

	static RestTestClient.ResponseSpec reduce(RestTestClient http) {
		return json(http.post().uri("/stock/reduce"), "{\"sku\":\"victim\"}").exchange();
	}

	static RestTestClient.RequestHeadersSpec<?> json(RestTestClient.RequestBodySpec request, String body) {
		return request.contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
