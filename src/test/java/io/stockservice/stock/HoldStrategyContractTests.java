package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every hold strategy promises for one part of a reservation, against a real Redis:
 * a creation takes every item or writes nothing; a move takes a held part out of held
 * once, in the state the rules (and the Redis clock) decide, and leaves an ended part as
 * it is. Each strategy's test class extends this one, so both pass exactly this suite.
 */
abstract class HoldStrategyContractTests {

	static final Duration DEADLINE = Duration.ofSeconds(5);

	static final Duration RETENTION = Duration.ofHours(1);

	static final Duration RECORD_TTL = Duration.ofMinutes(10);

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> redisCli = this.redis.commands();

	final StockKeys keys = StockKeys.defaults();

	final HoldSettings settings = new HoldSettings(this.keys, RETENTION, RECORD_TTL, Replication.none(),
			new RetryPolicy(20, Duration.ofMillis(1), Duration.ofMillis(4)));

	TransactionClient client;

	HoldStrategy strategy;

	abstract HoldStrategy strategy(RedisSessions sessions, HoldSettings settings);

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 8);
		this.strategy = strategy(this.client.connections(), this.settings);
	}

	@AfterEach
	void closeClient() {
		assertThat(this.client.leased()).as("sessions still leased").isZero();
		this.client.close();
		this.redis.flush();
	}

	long redisNow() {
		List<String> time = this.redisCli.time();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	static List<Item> items(Object... skuAndQuantity) {
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < skuAndQuantity.length; i += 2) {
			items.add(new Item((String) skuAndQuantity[i], ((Number) skuAndQuantity[i + 1]).longValue()));
		}
		return items;
	}

	PartCreated hold(String id, List<Item> items, long expiresAt) {
		return this.strategy.create(PartCreation.hold(id, anchorOf(items), items, expiresAt), Deadline.after(DEADLINE));
	}

	PartMoved move(String id, String anchor, PartMove.Op op) {
		return this.strategy.move(PartMove.of(id, anchor, op), Deadline.after(DEADLINE));
	}

	static String anchorOf(List<Item> items) {
		return items.stream().map(Item::sku).min(String::compareTo).orElseThrow();
	}

	Map<String, String> hash(String id, String anchor) {
		return this.redisCli.hgetall(this.keys.hold(anchor, id));
	}

	void assertLevels(String sku, String available, String reserved) {
		assertThat(this.redisCli.get("stock:" + sku)).as("available of " + sku).isEqualTo(available);
		assertThat(this.redisCli.get("stock-service:reserved:{stock:" + sku + "}")).as("reserved of " + sku)
			.isEqualTo(reserved);
	}

	@Test
	void aHoldMovesItsUnitsFromAvailableToReservedAndIsBornHeld() {
		this.redisCli.set("stock:a", "10");
		this.redisCli.set("stock:b", "5");
		String id = ReservationId.next("a");
		long expiresAt = redisNow() + 60_000;

		assertThat(hold(id, items("b", 2, "a", 3), expiresAt)).isEqualTo(new PartCreated.Taken(List.of(3L, 7L)));

		assertLevels("a", "7", "3");
		assertLevels("b", "3", "2");
		assertThat(hash(id, "a")).containsEntry("state", "held")
			.containsEntry("expiresAt", Long.toString(expiresAt))
			.containsEntry("items", "b 2|a 3");
		assertThat(this.redisCli.pttl(this.keys.hold("a", id))).as("a held hold never vanishes by itself")
			.isEqualTo(-1);
	}

	@Test
	void aHoldThatDoesNotFitInOneItemTakesNothingFromAny() {
		this.redisCli.set("stock:a", "10");
		this.redisCli.set("stock:b", "1");
		String id = ReservationId.next("a");

		assertThat(hold(id, items("a", 3, "b", 2), redisNow() + 60_000))
			.isEqualTo(new PartCreated.Refused(List.of(10L, 1L)));

		assertLevels("a", "10", null);
		assertLevels("b", "1", null);
		assertThat(this.redisCli.exists(this.keys.hold("a", id))).isZero();
	}

	@Test
	void aHoldOnASkuWithoutStockTellsNoLevelAndCreatesNoKey() {
		this.redisCli.set("stock:a", "10");

		assertThat(hold(ReservationId.next("a"), items("a", 1, "nothing", 1), redisNow() + 60_000))
			.isEqualTo(new PartCreated.Refused(Arrays.asList(10L, null)));
		assertThat(this.redisCli.keys("*")).containsExactly("stock:a");
	}

	@Test
	void aCorruptStockOrReservedValueRefusesTheHoldAndIsLeftUntouched() {
		this.redisCli.set("stock:a", "10");
		this.redisCli.set("stock:b", "garbage");
		this.redisCli.set("stock:c", "10");
		this.redisCli.rpush("stock-service:reserved:{stock:c}", "3");

		assertThat(hold(ReservationId.next("a"), items("a", 1, "b", 1), redisNow() + 60_000))
			.isEqualTo(new PartCreated.CorruptStock("b"));
		assertThat(hold(ReservationId.next("c"), items("c", 1), redisNow() + 60_000))
			.isEqualTo(new PartCreated.CorruptStock("c"));
		assertThat(this.redisCli.get("stock:a")).isEqualTo("10");
		assertThat(this.redisCli.get("stock:b")).isEqualTo("garbage");
		assertThat(this.redisCli.lrange("stock-service:reserved:{stock:c}", 0, -1)).containsExactly("3");
	}

	@Test
	void aHoldWhoseTimeHasRunOutByTheRedisClockIsNotMade() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");

		assertThat(hold(id, items("a", 1), redisNow() - 1)).isEqualTo(new PartCreated.Late());
		assertLevels("a", "10", null);
		assertThat(this.redisCli.exists(this.keys.hold("a", id))).isZero();
	}

	@Test
	void aHoldWritesItsRecordInTheSameStepFillingInWhatEachItemLeft() {
		this.redisCli.set("stock:a", "10");
		this.redisCli.set("stock:b", "5");
		String id = ReservationId.next("a");
		String record = this.keys.reservationRecord("a", "key-1");
		PartCreation creation = PartCreation.hold(id, "a", items("a", 3, "b", 1), redisNow() + 60_000)
			.withRecord(record, "H|60000|1|" + id + "|a 3 #1|b 1 #2|z 2 9");

		assertThat(this.strategy.create(creation, Deadline.after(DEADLINE)))
			.isEqualTo(new PartCreated.Taken(List.of(7L, 4L)));
		assertThat(this.redisCli.get(record)).isEqualTo("H|60000|1|" + id + "|a 3 7|b 1 4|z 2 9");
		assertThat(this.redisCli.pttl(record)).isBetween(1L, RECORD_TTL.toMillis());
	}

	@Test
	void aRecordFoundIsTheAnswerAndNothingIsTaken() {
		this.redisCli.set("stock:a", "10");
		String record = this.keys.reservationRecord("a", "key-1");
		this.redisCli.set(record, "the first answer");
		PartCreation creation = PartCreation.hold(ReservationId.next("a"), "a", items("a", 3), redisNow() + 60_000)
			.withRecord(record, "H|1|1|x|a 3 #1");

		assertThat(this.strategy.create(creation, Deadline.after(DEADLINE)))
			.isEqualTo(new PartCreated.RecordFound("the first answer"));
		this.redisCli.del(record);
		this.redisCli.sadd(record, "not a string");
		assertThat(this.strategy.create(creation, Deadline.after(DEADLINE)))
			.isEqualTo(new PartCreated.RecordUnreadable());
		assertLevels("a", "10", null);
	}

	@Test
	void aSaleTakesTheUnitsForGoodAndIsBornConfirmed() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		PartCreation sale = PartCreation.hold(id, "a", items("a", 4), redisNow() + 60_000)
			.as(PartCreation.Mode.SELL, Map.of("order", "a 4|b 1", "parts", "b"));

		assertThat(this.strategy.create(sale, Deadline.after(DEADLINE))).isEqualTo(new PartCreated.Taken(List.of(6L)));
		assertLevels("a", "6", null);
		assertThat(hash(id, "a")).containsEntry("state", "confirmed")
			.containsEntry("order", "a 4|b 1")
			.containsEntry("parts", "b")
			.containsKey("endedAt");
		assertThat(this.redisCli.pttl(this.keys.hold("a", id))).isBetween(1L, RETENTION.toMillis());
	}

	@Test
	void aCheckTellsTheLevelsAndWritesNothingEvenWhenEverythingFits() {
		this.redisCli.set("stock:a", "10");
		PartCreation check = PartCreation.hold(ReservationId.next("a"), "a", items("a", 4), redisNow() + 60_000)
			.as(PartCreation.Mode.CHECK, Map.of());

		assertThat(this.strategy.create(check, Deadline.after(DEADLINE)))
			.isEqualTo(new PartCreated.Refused(List.of(10L)));
		assertThat(this.redisCli.keys("*")).containsExactly("stock:a");
	}

	@Test
	void confirmSellsAHeldPartOnceAndLeavesNoReservedKeyWhenNothingIsHeld() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		hold(id, items("a", 3), redisNow() + 60_000);

		PartMoved first = move(id, "a", PartMove.Op.CONFIRM);
		PartMoved again = move(id, "a", PartMove.Op.CONFIRM);

		assertThat(first).isInstanceOfSatisfying(PartMoved.Moved.class,
				(moved) -> assertThat(moved.hold().state()).isEqualTo(HoldState.CONFIRMED));
		assertThat(again).isInstanceOfSatisfying(PartMoved.Ended.class,
				(ended) -> assertThat(ended.hold().state()).isEqualTo(HoldState.CONFIRMED));
		assertLevels("a", "7", null);
		assertThat(hash(id, "a")).containsEntry("state", "confirmed").containsKey("endedAt");
		assertThat(this.redisCli.pttl(this.keys.hold("a", id))).isBetween(1L, RETENTION.toMillis());
	}

	@Test
	void releaseGivesTheUnitsBackOnceAndLeavesOtherHoldsOfTheSkuReserved() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		hold(id, items("a", 3), redisNow() + 60_000);
		hold(ReservationId.next("a"), items("a", 2), redisNow() + 60_000);

		assertThat(move(id, "a", PartMove.Op.RELEASE)).isInstanceOfSatisfying(PartMoved.Moved.class,
				(moved) -> assertThat(moved.hold().state()).isEqualTo(HoldState.RELEASED));
		assertThat(move(id, "a", PartMove.Op.RELEASE)).isInstanceOf(PartMoved.Ended.class);
		assertLevels("a", "8", "2");
	}

	@Test
	void confirmOrReleaseOfAHoldWhoseTimeRanOutExpiresItInstead() throws Exception {
		this.redisCli.set("stock:a", "10");
		String confirmed = ReservationId.next("a");
		String released = ReservationId.next("a");
		long soon = redisNow() + 50;
		hold(confirmed, items("a", 3), soon);
		hold(released, items("a", 2), soon);
		while (redisNow() < soon) {
			Thread.sleep(10);
		}

		assertThat(move(confirmed, "a", PartMove.Op.CONFIRM)).isInstanceOfSatisfying(PartMoved.Moved.class,
				(moved) -> assertThat(moved.hold().state()).isEqualTo(HoldState.EXPIRED));
		assertThat(move(released, "a", PartMove.Op.RELEASE)).isInstanceOfSatisfying(PartMoved.Moved.class,
				(moved) -> assertThat(moved.hold().state()).isEqualTo(HoldState.EXPIRED));
		assertLevels("a", "10", null);
	}

	@Test
	void expireLeavesAHoldAloneUntilItsTimeRunsOutAndThenGivesItBack() throws Exception {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		long soon = redisNow() + 100;
		hold(id, items("a", 3), soon);

		assertThat(move(id, "a", PartMove.Op.EXPIRE)).isInstanceOf(PartMoved.NotDue.class);
		assertLevels("a", "7", "3");
		while (redisNow() < soon) {
			Thread.sleep(10);
		}
		assertThat(move(id, "a", PartMove.Op.EXPIRE)).isInstanceOfSatisfying(PartMoved.Moved.class,
				(moved) -> assertThat(moved.hold().endedAt()).isGreaterThanOrEqualTo(soon));
		assertLevels("a", "10", null);
	}

	@Test
	void anEndedHoldNeverMovesAgainWhateverIsAsked() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		hold(id, items("a", 3), redisNow() + 60_000);
		move(id, "a", PartMove.Op.CONFIRM);

		assertThat(move(id, "a", PartMove.Op.RELEASE)).isInstanceOf(PartMoved.Ended.class);
		assertThat(this.strategy.move(new PartMove(id, "a", PartMove.Op.FOLLOW, HoldState.EXPIRED, 0),
				Deadline.after(DEADLINE)))
			.isInstanceOf(PartMoved.Ended.class);
		assertLevels("a", "7", null);
	}

	@Test
	void followTakesTheAnchorsDecisionWhateverTheTime() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		hold(id, items("a", 3), redisNow() - 1 + 60_000);

		assertThat(this.strategy.move(new PartMove(id, "a", PartMove.Op.FOLLOW, HoldState.RELEASED, 0),
				Deadline.after(DEADLINE)))
			.isInstanceOfSatisfying(PartMoved.Moved.class,
					(moved) -> assertThat(moved.hold().state()).isEqualTo(HoldState.RELEASED));
		assertLevels("a", "10", null);
	}

	@Test
	void aMissingHoldWhoseTimeHasPassedIsMarkedVoidSoThatItsCreationCanNeverLand() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		long now = redisNow();

		assertThat(this.strategy.move(new PartMove(id, "a", PartMove.Op.EXPIRE, null, now + 60_000),
				Deadline.after(DEADLINE)))
			.isEqualTo(new PartMoved.Missing(false));
		assertThat(this.redisCli.exists(this.keys.hold("a", id))).isZero();
		assertThat(this.strategy.move(new PartMove(id, "a", PartMove.Op.EXPIRE, null, now), Deadline.after(DEADLINE)))
			.isEqualTo(new PartMoved.Missing(true));

		assertThat(hash(id, "a")).containsEntry("state", "void");
		assertThat(hold(id, items("a", 1), now + 60_000)).isEqualTo(new PartCreated.Exists());
		assertThat(move(id, "a", PartMove.Op.CONFIRM)).isInstanceOfSatisfying(PartMoved.Ended.class,
				(ended) -> assertThat(ended.hold().state()).isEqualTo(HoldState.VOID));
		assertLevels("a", "10", null);
	}

	@Test
	void aConfirmOrReleaseOfNoHoldChangesNothing() {
		assertThat(move(ReservationId.next("a"), "a", PartMove.Op.CONFIRM)).isEqualTo(new PartMoved.Missing(false));
		assertThat(move(ReservationId.next("a"), "a", PartMove.Op.RELEASE)).isEqualTo(new PartMoved.Missing(false));
		assertThat(this.redisCli.keys("*")).isEmpty();
	}

	@Test
	void aMoveThatFindsACorruptLevelMovesNothingAndLeavesItUntouched() {
		this.redisCli.set("stock:a", "10");
		String id = ReservationId.next("a");
		hold(id, items("a", 3), redisNow() + 60_000);
		this.redisCli.set("stock:a", "garbage");

		assertThat(move(id, "a", PartMove.Op.RELEASE)).isEqualTo(new PartMoved.CorruptStock("a"));
		assertThat(hash(id, "a")).containsEntry("state", "held");
		assertLevels("a", "garbage", "3");
		this.redisCli.set("stock-service:reserved:{stock:a}", "1");
		assertThat(move(id, "a", PartMove.Op.CONFIRM)).isEqualTo(new PartMoved.CorruptStock("a"));
		assertLevels("a", "garbage", "1");
	}

	@Test
	void aHoldKeyThatIsNotAHoldOfOursIsUnreadableAndLeftUntouched() {
		String id = ReservationId.next("a");
		this.redisCli.set(this.keys.hold("a", id), "something else");
		String other = ReservationId.next("a");
		this.redisCli.hset(this.keys.hold("a", other), "state", "sold");

		assertThat(move(id, "a", PartMove.Op.CONFIRM)).isEqualTo(new PartMoved.Unreadable());
		assertThat(move(other, "a", PartMove.Op.RELEASE)).isEqualTo(new PartMoved.Unreadable());
		assertThat(this.redisCli.get(this.keys.hold("a", id))).isEqualTo("something else");
		assertThat(hash(other, "a")).containsExactly(Map.entry("state", "sold"));
	}

	/**
	 * Confirm, release and expiry race for each of many holds, from different
	 * connections: each hold moves exactly once, and its units are either sold or back,
	 * never both, never twice.
	 */
	@Test
	void confirmReleaseAndExpiryRacingForOneHoldMoveItExactlyOnce() throws Exception {
		int holds = 40;
		this.redisCli.set("stock:a", Integer.toString(holds * 2));
		List<String> ids = new ArrayList<>();
		long expiresAt = redisNow() + 300;
		for (int i = 0; i < holds; i++) {
			String id = ReservationId.next("a");
			hold(id, items("a", 2), expiresAt);
			ids.add(id);
		}
		while (redisNow() < expiresAt - 5) {
			Thread.sleep(1);
		}
		ExecutorService threads = Executors.newFixedThreadPool(3);
		List<PartMoved> outcomes = new ArrayList<>();
		try {
			for (String id : ids) {
				CyclicBarrier together = new CyclicBarrier(3);
				List<CompletableFuture<PartMoved>> racing = new ArrayList<>();
				for (PartMove.Op op : List.of(PartMove.Op.CONFIRM, PartMove.Op.RELEASE, PartMove.Op.EXPIRE)) {
					racing.add(CompletableFuture.supplyAsync(() -> {
						ReduceStrategyContractTests.awaitOthers(together);
						return this.strategy.move(new PartMove(id, "a", op, null, expiresAt), Deadline.after(DEADLINE));
					}, threads));
				}
				List<PartMoved> three = racing.stream().map(CompletableFuture::join).toList();
				assertThat(three).filteredOn(PartMoved.Moved.class::isInstance).as("moves of " + id).hasSize(1);
				outcomes.addAll(three);
			}
		}
		finally {
			threads.shutdownNow();
		}
		long sold = outcomes.stream()
			.filter((outcome) -> outcome instanceof PartMoved.Moved moved
					&& moved.hold().state() == HoldState.CONFIRMED)
			.count();
		assertThat(Long.parseLong(this.redisCli.get("stock:a"))).as("units back").isEqualTo(holds * 2 - sold * 2);
		assertThat(this.redisCli.exists("stock-service:reserved:{stock:a}")).isZero();
	}

}
