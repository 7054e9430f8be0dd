package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.ReduceOutcome.CorruptRecord;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.Replayed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad data under a claim's idempotency record fails that claim alone, wherever it sits in
 * a combined batch, for both strategies: the garbage is another application's hash or
 * list under the key, a value that looks like this very request's record but cannot be
 * decoded, a record naming another SKU, or plain text. Each time, Redis ends up holding
 * exactly the sum of the claims answered as reduced, no record exists without its
 * decrement, and a retry never replays units that were not taken.
 */
class BadDataInBatchTests {

	static final String SKU = "count";

	static final long STOCK = 99;

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> otherClient = this.redis.commands();

	final StockKeys keys = StockKeys.defaults();

	TransactionClient client;

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 2);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (String strategy : List.of("watch", "lua")) {
			for (Garbage garbage : Garbage.values()) {
				for (int position = 0; position < 4; position++) {
					cases.add(Arguments.of(strategy, garbage, position));
				}
			}
		}
		return cases.stream();
	}

	ReduceStrategy strategy(String name) {
		RetryPolicy retry = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(5));
		IdempotencyRecords records = new IdempotencyRecords(Duration.ofMinutes(5));
		return name.equals("watch")
				? new WatchReduceStrategy(this.client, this.keys, records, Replication.none(), retry,
						ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER)
				: new LuaReduceStrategy(this.client, this.keys, records, Replication.none(), retry, ReduceListener.NONE,
						Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER);
	}

	/**
	 * Four claims: the one at the given position is keyed {@code bad}, with garbage under
	 * its record; of the others, the first and third are keyed, the rest not.
	 */
	static List<Claim> batch(int badPosition) {
		List<Claim> claims = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			long quantity = i + 1;
			String key = (i == badPosition) ? "bad" : (i % 2 == 0) ? "good-" + i : null;
			claims.add(new Claim(List.of(new Item(SKU, quantity)), key));
		}
		return claims;
	}

	@ParameterizedTest(name = "{0}: {1} at position {2}")
	@MethodSource("cases")
	void garbageUnderOneRecordFailsThatClaimAloneAndTakesNothingForIt(String name, Garbage garbage, int badPosition) {
		this.otherClient.set(this.keys.stock(SKU), Long.toString(STOCK));
		String badKey = this.keys.record(SKU, "bad");
		garbage.plant(this.otherClient, badKey);
		ReduceStrategy strategy = strategy(name);
		List<Claim> claims = batch(badPosition);

		List<ReduceOutcome> outcomes = strategy.reduce(claims, Deadline.after(Duration.ofSeconds(5)));

		assertThat(outcomes.get(badPosition)).isEqualTo(new CorruptRecord(SKU, badKey, 1));
		long taken = outcomes.stream()
			.filter(Reduced.class::isInstance)
			.mapToLong((outcome) -> ((Reduced) outcome).reduced())
			.sum();
		assertThat(taken).isEqualTo(1 + 2 + 3 + 4 - (badPosition + 1));
		assertThat(this.otherClient.get(this.keys.stock(SKU))).isEqualTo(Long.toString(STOCK - taken));
		garbage.assertUntouched(this.otherClient, badKey);
		assertEveryRecordHasItsDecrement(claims, outcomes);

		List<ReduceOutcome> retries = strategy.reduce(claims, Deadline.after(Duration.ofSeconds(5)));

		for (int i = 0; i < claims.size(); i++) {
			if (i == badPosition) {
				assertThat(retries.get(i)).isEqualTo(new CorruptRecord(SKU, badKey, 1));
			}
			else if (claims.get(i).keyed()) {
				assertThat(retries.get(i)).isEqualTo(new Replayed(outcomes.get(i), 1));
			}
		}
		long takenAgain = retries.stream()
			.filter(Reduced.class::isInstance)
			.mapToLong((outcome) -> ((Reduced) outcome).reduced())
			.sum();
		assertThat(this.otherClient.get(this.keys.stock(SKU))).isEqualTo(Long.toString(STOCK - taken - takenAgain));
	}

	/** Every record under the service's namespace is one the batch answered from. */
	void assertEveryRecordHasItsDecrement(List<Claim> claims, List<ReduceOutcome> outcomes) {
		Map<String, ReduceOutcome> answered = new java.util.HashMap<>();
		for (int i = 0; i < claims.size(); i++) {
			if (claims.get(i).keyed()) {
				answered.put(this.keys.record(SKU, claims.get(i).idempotencyKey()), outcomes.get(i));
			}
		}
		for (String key : this.otherClient.keys(this.keys.namespace() + "*")) {
			if (key.endsWith(":bad")) {
				continue;
			}
			ReduceOutcome outcome = answered.get(key);
			assertThat(outcome).as("the claim of record %s", key).isInstanceOf(Reduced.class);
			IdempotencyRecords.Decoded record = IdempotencyRecords.decode(this.otherClient.get(key), SKU);
			assertThat(record.outcome()).isEqualTo(outcome);
		}
	}

	/** What another application, or damage, may have left under a record's key. */
	enum Garbage {

		HASH {
			@Override
			void plant(RedisCommands<String, String> redis, String key) {
				redis.hset(key, "owner", "another application");
			}

			@Override
			void assertUntouched(RedisCommands<String, String> redis, String key) {
				assertThat(redis.hgetall(key)).containsExactly(Map.entry("owner", "another application"));
			}
		},

		LIST {
			@Override
			void plant(RedisCommands<String, String> redis, String key) {
				redis.rpush(key, "a", "b");
			}

			@Override
			void assertUntouched(RedisCommands<String, String> redis, String key) {
				assertThat(redis.lrange(key, 0, -1)).containsExactly("a", "b");
			}
		},

		UNDECODABLE_RECORD_OF_THIS_REQUEST("R|1|count 1 zz"), RECORD_OF_ANOTHER_SKU("R|1|other 1 5"),
		TEXT("not a record");

		private final String value;

		Garbage() {
			this(null);
		}

		Garbage(String value) {
			this.value = value;
		}

		void plant(RedisCommands<String, String> redis, String key) {
			redis.set(key, this.value);
		}

		void assertUntouched(RedisCommands<String, String> redis, String key) {
			assertThat(redis.get(key)).isEqualTo(this.value);
		}

	}

}
