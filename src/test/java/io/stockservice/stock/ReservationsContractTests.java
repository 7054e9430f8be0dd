package io.stockservice.stock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reservations from creation to their end, and the sweeper, against a real Redis, for
 * each strategy: all or nothing, each ending exactly once, expiry by the Redis clock,
 * idempotent creation. SKUs are split into parts by their real cluster slots
 * ({@link ClusterSlots}), so that {@code a} and {@code b} here lie in different slots and
 * the steps across parts run too.
 */
abstract class ReservationsContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	static final Duration LONG = Duration.ofMinutes(10);

	final TestRedis redis = TestRedis.shared();

	final RedisCommands<String, String> redisCli = this.redis.commands();

	/**
	 * Keys in a namespace of this test's own: the service instances other test classes
	 * leave running on the shared Redis sweep the default namespace's list of holds due,
	 * and would expire this test's holds before it could.
	 */
	final StockKeys keys = new StockKeys(StockKeys.DEFAULT_STOCK_PREFIX, "stock-service-test:");

	final HoldSettings settings = new HoldSettings(this.keys, Duration.ofHours(1), Duration.ofMinutes(10),
			Replication.none(), new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(10)));

	final List<String> events = new ArrayList<>();

	final HoldListener listener = new HoldListener() {

		@Override
		public synchronized void held(List<Item> items) {
			ReservationsContractTests.this.events.add("held " + items.size());
		}

		@Override
		public synchronized void ended(HoldState state, List<Item> items, long lateMillis) {
			ReservationsContractTests.this.events.add(state.tag() + " " + items.size());
		}

	};

	TransactionClient client;

	RedisSessions sessions;

	HoldStrategy strategy;

	HoldsDue due;

	Reservations reservations;

	HoldSweeper sweeper;

	abstract HoldStrategy strategy(RedisSessions sessions, HoldSettings settings);

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 8);
		this.sessions = new ClusterSlots(this.client.connections());
		this.strategy = strategy(this.sessions, this.settings);
		this.due = new HoldsDue(this.sessions, this.keys, Replication.none());
		this.reservations = new Reservations(this.sessions, this.settings, this.strategy, this.due, this.listener,
				TIMEOUT);
		this.sweeper = new HoldSweeper(this.due, this.strategy, this.listener, 100, TIMEOUT);
	}

	@AfterEach
	void closeClient() {
		assertThat(this.client.leased()).as("sessions still leased").isZero();
		this.client.close();
		this.redis.flush();
	}

	static List<Item> items(Object... skuAndQuantity) {
		return HoldStrategyContractTests.items(skuAndQuantity);
	}

	Reservation held(ReservationOutcome outcome) {
		assertThat(outcome).isInstanceOf(ReservationOutcome.Held.class);
		return ((ReservationOutcome.Held) outcome).reservation();
	}

	void stock(String sku, long level) {
		this.redisCli.set(this.keys.stock(sku), Long.toString(level));
	}

	String available(String sku) {
		return this.redisCli.get(this.keys.stock(sku));
	}

	String reserved(String sku) {
		return this.redisCli.get(this.keys.reserved(sku));
	}

	long dueEntries() {
		long entries = 0;
		for (int shard = 0; shard < HoldsDue.SHARDS; shard++) {
			entries += this.redisCli.zcard(this.keys.holdsDue(shard));
		}
		return entries;
	}

	static void sleepUntilPast(Reservation reservation) throws InterruptedException {
		long wait = reservation.expiresAt() - System.currentTimeMillis() + 20;
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

	@Test
	void theSkusOfTheseTestsLieInDifferentSlots() {
		assertThat(this.sessions.slot(this.keys.stock("a"))).isNotEqualTo(this.sessions.slot(this.keys.stock("b")));
		assertThat(this.sessions.slot(this.keys.reserved("a"))).isEqualTo(this.sessions.slot(this.keys.stock("a")));
	}

	@Test
	void aReservationHoldsEveryItemAndShowsAsHeld() {
		stock("a", 10);
		stock("b", 5);

		Reservation reservation = held(this.reservations.create(items("b", 2, "a", 3), LONG, null));

		assertThat(reservation.id()).endsWith(".a");
		assertThat(reservation.state()).isEqualTo(HoldState.HELD);
		assertThat(this.reservations.get(reservation.id())).contains(reservation);
		assertThat(available("a")).isEqualTo("7");
		assertThat(reserved("a")).isEqualTo("3");
		assertThat(available("b")).isEqualTo("3");
		assertThat(reserved("b")).isEqualTo("2");
		assertThat(dueEntries()).as("its entry in the list of holds due").isOne();
		assertThat(this.events).containsExactly("held 2");
	}

	@Test
	void aReservationThatDoesNotFitHoldsNothingAnywhereAndNamesEveryShortItem() {
		stock("a", 1);
		stock("b", 5);
		stock("c", 0);

		ReservationOutcome outcome = this.reservations.create(items("b", 2, "a", 3, "c", 1), LONG, null);

		assertThat(outcome).isEqualTo(new ReservationOutcome.Refused(
				new ReduceOutcome.Insufficient(
						List.of(new ReduceOutcome.Shortage("a", 3, 1), new ReduceOutcome.Shortage("c", 1, 0)), 1),
				false));
		assertThat(List.of(available("a"), available("b"), available("c"))).containsExactly("1", "5", "0");
		assertThat(List.of(this.redisCli.keys(this.keys.namespace() + "reserved:*"))).containsExactly(List.of());
		assertThat(this.redisCli.keys(this.keys.namespace() + "hold:*"))
			.allSatisfy((key) -> assertThat(this.redisCli.hget(key, "state")).isEqualTo("released"));
		assertThat(dueEntries()).isZero();
	}

	@Test
	void aReservationNamingASkuWithoutStockIsUnknownSkuForTheFirstSuch() {
		stock("b", 5);

		assertThat(this.reservations.create(items("b", 1, "x", 1, "a", 1), LONG, null))
			.isEqualTo(new ReservationOutcome.Refused(new ReduceOutcome.UnknownSku("x", 1), false));
		assertThat(available("b")).isEqualTo("5");
		assertThat(this.redisCli.exists(this.keys.stock("x"), this.keys.stock("a"))).isZero();
	}

	@Test
	void confirmSellsEveryPartOnceAndAgainAnswersTheSame() {
		stock("a", 10);
		stock("b", 5);
		Reservation reservation = held(this.reservations.create(items("a", 3, "b", 2), LONG, null));

		HoldEnding first = this.reservations.confirm(reservation.id());
		HoldEnding again = this.reservations.confirm(reservation.id());
		HoldEnding release = this.reservations.release(reservation.id());

		assertThat(first).isInstanceOfSatisfying(HoldEnding.Ended.class, (ended) -> {
			assertThat(ended.now()).isTrue();
			assertThat(ended.reservation().state()).isEqualTo(HoldState.CONFIRMED);
		});
		assertThat(again).isInstanceOfSatisfying(HoldEnding.Ended.class, (ended) -> assertThat(ended.now()).isFalse());
		assertThat(release).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.reservation().state()).isEqualTo(HoldState.CONFIRMED));
		assertThat(List.of(available("a"), available("b"))).containsExactly("7", "3");
		assertThat(this.redisCli.exists(this.keys.reserved("a"), this.keys.reserved("b"))).isZero();
		assertThat(this.redisCli.hget(this.keys.hold("b", reservation.id()), "state")).isEqualTo("confirmed");
		assertThat(dueEntries()).isZero();
		assertThat(this.events).containsExactly("held 2", "confirmed 2");
	}

	@Test
	void releaseGivesEveryPartBackOnceAndAConfirmAfterItFindsItReleased() {
		stock("a", 10);
		stock("b", 5);
		Reservation reservation = held(this.reservations.create(items("a", 3, "b", 2), LONG, null));

		assertThat(this.reservations.release(reservation.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.reservation().state()).isEqualTo(HoldState.RELEASED));
		assertThat(this.reservations.release(reservation.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.now()).isFalse());
		assertThat(this.reservations.confirm(reservation.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.reservation().state()).isEqualTo(HoldState.RELEASED));
		assertThat(List.of(available("a"), available("b"))).containsExactly("10", "5");
		assertThat(this.redisCli.hget(this.keys.hold("b", reservation.id()), "state")).isEqualTo("released");
	}

	@Test
	void theSweeperExpiresAReservationOnceItsTimeHasRunOutAndNotBefore() throws Exception {
		stock("a", 10);
		stock("b", 5);
		Reservation reservation = held(this.reservations.create(items("a", 3, "b", 2), Duration.ofMillis(300), null));

		assertThat(this.sweeper.sweep()).isZero();
		assertThat(available("a")).isEqualTo("7");
		sleepUntilPast(reservation);
		assertThat(this.sweeper.sweep()).isOne();
		assertThat(this.sweeper.sweep()).isZero();

		assertThat(List.of(available("a"), available("b"))).containsExactly("10", "5");
		assertThat(this.reservations.get(reservation.id()).orElseThrow().state()).isEqualTo(HoldState.EXPIRED);
		assertThat(this.reservations.confirm(reservation.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.reservation().state()).isEqualTo(HoldState.EXPIRED));
		assertThat(this.redisCli.hget(this.keys.hold("b", reservation.id()), "state")).isEqualTo("expired");
		assertThat(dueEntries()).isZero();
		assertThat(this.events).containsExactly("held 2", "expired 2");
	}

	@Test
	void aConfirmAfterExpiresAtButBeforeTheSweeperFailsAsExpiredAndExpiresItItself() throws Exception {
		stock("a", 10);
		Reservation reservation = held(this.reservations.create(items("a", 3), Duration.ofMillis(100), null));
		sleepUntilPast(reservation);

		assertThat(this.reservations.confirm(reservation.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> {
					assertThat(ended.now()).isTrue();
					assertThat(ended.reservation().state()).isEqualTo(HoldState.EXPIRED);
				});
		assertThat(available("a")).isEqualTo("10");
		assertThat(this.sweeper.sweep()).isZero();
		assertThat(this.events).containsExactly("held 1", "expired 1");
	}

	@Test
	void twoSweepersRacingExpireEachReservationExactlyOnce() throws Exception {
		stock("a", 1000);
		stock("b", 1000);
		List<Reservation> created = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			created.add(held(this.reservations.create(items("a", 2, "b", 1), Duration.ofMillis(200), null)));
		}
		HoldSweeper other = new HoldSweeper(this.due, strategy(this.sessions, this.settings), this.listener, 7,
				TIMEOUT);
		sleepUntilPast(created.get(created.size() - 1));

		Thread racing = new Thread(other::sweep);
		racing.start();
		this.sweeper.sweep();
		racing.join();

		assertThat(this.events.stream().filter((event) -> event.startsWith("expired"))).hasSize(30);
		assertThat(created)
			.allSatisfy((reservation) -> assertThat(this.reservations.get(reservation.id()).orElseThrow().state())
				.isEqualTo(HoldState.EXPIRED));
		assertThat(List.of(available("a"), available("b"))).as("every unit back once").containsExactly("1000", "1000");
		assertThat(this.redisCli.exists(this.keys.reserved("a"), this.keys.reserved("b"))).isZero();
		assertThat(dueEntries()).isZero();
	}

	@Test
	void unknownAndMalformedIdsAreUnknown() {
		assertThat(this.reservations.get(ReservationId.next("a"))).isEmpty();
		assertThat(this.reservations.get("nonsense")).isEmpty();
		assertThat(this.reservations.confirm(ReservationId.next("a"))).isEqualTo(new HoldEnding.Unknown());
		assertThat(this.reservations.release("nonsense")).isEqualTo(new HoldEnding.Unknown());
	}

	@Test
	void aRetryWithTheSameKeyReplaysTheReservationAndHoldsNothingMore() {
		stock("a", 10);
		stock("b", 5);
		Reservation first = held(this.reservations.create(items("a", 3, "b", 1), LONG, "key-1"));

		ReservationOutcome retry = this.reservations.create(items("a", 3, "b", 1), LONG, "key-1");
		ReservationOutcome other = this.reservations.create(items("a", 3, "b", 2), LONG, "key-1");
		ReservationOutcome otherTtl = this.reservations.create(items("a", 3, "b", 1), Duration.ofMinutes(5), "key-1");

		assertThat(retry).isEqualTo(new ReservationOutcome.Held(first, true));
		assertThat(other)
			.isEqualTo(new ReservationOutcome.Refused(new ReduceOutcome.KeyReused("a", "key-1", 1), false));
		assertThat(otherTtl).isInstanceOfSatisfying(ReservationOutcome.Refused.class,
				(refused) -> assertThat(refused.why()).isInstanceOf(ReduceOutcome.KeyReused.class));
		assertThat(List.of(available("a"), available("b"))).containsExactly("7", "4");
		assertThat(dueEntries()).isOne();
	}

	@Test
	void aRefusalIsRecordedAndReplayedEvenAfterARestock() {
		stock("a", 1);
		stock("b", 5);
		ReservationOutcome first = this.reservations.create(items("a", 3, "b", 1), LONG, "key-2");
		stock("a", 100);

		ReservationOutcome retry = this.reservations.create(items("a", 3, "b", 1), LONG, "key-2");

		assertThat(first).isInstanceOf(ReservationOutcome.Refused.class);
		assertThat(retry).isEqualTo(new ReservationOutcome.Refused(((ReservationOutcome.Refused) first).why(), true));
		assertThat(List.of(available("a"), available("b"))).containsExactly("100", "5");
	}

	/**
	 * An instance died after it took a part other than the anchor: only the entry in the
	 * list of holds due knows of that part. Once its time has run out, the sweeper marks
	 * the anchor void (no creation can land any more) and the part gives its units back.
	 */
	@Test
	void thePartsOfAReservationWhoseInstanceDiedBeforeItsAnchorExpireWithIt() throws Exception {
		stock("a", 10);
		stock("b", 5);
		ReservationPlan plan = ReservationPlan.of(items("a", 3, "b", 2), ((ClusterSlots) this.sessions)::slotOfStock);
		Deadline deadline = Deadline.after(TIMEOUT);
		long expiresAt = this.due.add(plan.dueEntry(), Duration.ofMillis(200), deadline);
		ReservationPlan.Part b = plan.others().get(0);
		assertThat(this.strategy.create(PartCreation.hold(plan.id(), b.anchorSku(), b.items(), expiresAt), deadline))
			.isInstanceOf(PartCreated.Taken.class);
		assertThat(available("b")).isEqualTo("3");

		Thread.sleep(Math.max(0, expiresAt - System.currentTimeMillis() + 20));
		assertThat(this.sweeper.sweep()).isOne();

		assertThat(available("b")).isEqualTo("5");
		assertThat(this.redisCli.hget(this.keys.hold("a", plan.id()), "state")).isEqualTo("void");
		assertThat(this.redisCli.hget(this.keys.hold("b", plan.id()), "state")).isEqualTo("expired");
		assertThat(this.reservations.get(plan.id())).isEmpty();
		assertThat(this.strategy.create(PartCreation.hold(plan.id(), "a", plan.anchor().items(), expiresAt), deadline))
			.as("the anchor, arriving late")
			.isInstanceOf(PartCreated.Exists.class);
		assertThat(dueEntries()).isZero();
	}

	/**
	 * An instance died after its confirm moved the anchor, before the other parts
	 * followed: they are still held. The sweeper finishes the confirm when the time runs
	 * out; so does the client's retry of the confirm, at once.
	 */
	@Test
	void aConfirmWhoseInstanceDiedBeforeThePartsFollowedIsFinishedByTheSweeperOrARetry() throws Exception {
		stock("a", 10);
		stock("b", 5);
		Reservation swept = held(this.reservations.create(items("a", 3, "b", 2), Duration.ofMillis(300), null));
		Reservation retried = held(this.reservations.create(items("a", 1, "b", 1), LONG, null));
		for (Reservation reservation : List.of(swept, retried)) {
			assertThat(this.strategy.move(PartMove.of(reservation.id(), "a", PartMove.Op.CONFIRM),
					Deadline.after(TIMEOUT)))
				.isInstanceOf(PartMoved.Moved.class);
		}
		assertThat(reserved("b")).isEqualTo("3");

		assertThat(this.reservations.confirm(retried.id())).isInstanceOfSatisfying(HoldEnding.Ended.class,
				(ended) -> assertThat(ended.reservation().state()).isEqualTo(HoldState.CONFIRMED));
		assertThat(reserved("b")).isEqualTo("2");
		sleepUntilPast(swept);
		assertThat(this.sweeper.sweep()).isOne();

		assertThat(this.redisCli.exists(this.keys.reserved("a"), this.keys.reserved("b"))).isZero();
		assertThat(List.of(available("a"), available("b"))).containsExactly("6", "2");
		assertThat(this.redisCli.hget(this.keys.hold("b", swept.id()), "state")).isEqualTo("confirmed");
	}

	/** A due entry whose reservation was never created at all is dropped at its time. */
	@Test
	void anEntryWithoutAnyHoldIsDroppedOnceItsTimeHasPassed() throws Exception {
		DueEntry entry = new DueEntry(ReservationId.next("a"), List.of());
		long expiresAt = this.due.add(entry, Duration.ofMillis(100), Deadline.after(TIMEOUT));
		Thread.sleep(Math.max(0, expiresAt - System.currentTimeMillis() + 20));

		assertThat(this.sweeper.sweep()).isOne();
		assertThat(dueEntries()).isZero();
		AtomicInteger expired = new AtomicInteger();
		this.events.forEach((event) -> expired.addAndGet(event.startsWith("expired") ? 1 : 0));
		assertThat(expired).hasValue(0);
	}

}
