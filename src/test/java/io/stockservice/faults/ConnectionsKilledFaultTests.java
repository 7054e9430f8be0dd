package io.stockservice.faults;

import java.time.Duration;

import io.lettuce.core.KillArgs;
import io.stockservice.faults.ReduceLoad.Answer;
import io.stockservice.fixture.DecrementAudit;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import io.stockservice.redis.TransactionConnections;
import org.junit.jupiter.params.ParameterizedTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every client connection of Redis killed ({@code CLIENT KILL TYPE normal}) again and
 * again while eight clients keep reducing. Lettuce's default, reconnecting and replaying
 * the commands a dropped socket had not had answered (lettuce#695), would run a
 * {@code DECRBY} outside its {@code MULTI}, or an {@code EXEC} without its {@code WATCH}.
 * The transaction client never reconnects, so MONITOR sees no {@code DECRBY} outside a
 * transaction or script, the stock never drops below what the acknowledged and in-doubt
 * calls allow, and the service keeps selling throughout.
 */
class ConnectionsKilledFaultTests {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionsKilledFaultTests.class);

	static final long PLENTY = 1_000_000;

	static final long SCARCE = 200;

	static final int KILLS = 20;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void noDecrementEverRunsOutsideItsTransactionAndTheServiceKeepsSelling(String strategy)
			throws InterruptedException {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy);
				DecrementAudit audit = DecrementAudit.of(redis)) {
			redis.commands().set("stock:plenty", Long.toString(PLENTY));
			redis.commands().set("stock:scarce", Long.toString(SCARCE));
			try (ReduceLoad load = ReduceLoad.plain(service.uri(), 8, Duration.ofSeconds(30), "plenty", "scarce")) {
				Tally plenty = load.tally("plenty");
				Tally scarce = load.tally("scarce");
				await().atMost(Duration.ofMinutes(1)).until(() -> plenty.successes() >= 20);

				long beforeKills = plenty.successes();
				long killed = 0;
				long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
				// Kill at least KILLS times, and until the service has sold on through
				// them.
				for (int kills = 0; kills < KILLS || plenty.successes() < beforeKills + 100; kills++) {
					assertThat(System.nanoTime()).as("sales while connections are killed").isLessThan(giveUp);
					killed += redis.commands().clientKill(KillArgs.Builder.typeNormal());
					Thread.sleep(50);
				}
				long afterKills = plenty.successes();
				await().atMost(Duration.ofMinutes(1)).until(() -> plenty.successes() >= afterKills + 20);
				load.stop();

				logger.info("{}: {} connections killed; plenty: {}; scarce: {}", strategy, killed, plenty, scarce);
				assertThat(killed).as("connections killed").isPositive();
				assertThat(load.unexpected()).isEmpty();
				assertThat(plenty.calls(Answer.Kind.TIMED_OUT) + scarce.calls(Answer.Kind.TIMED_OUT)).isZero();
				plenty.assertAccountsFor(PLENTY, Long.parseLong(redis.commands().get("stock:plenty")));
				scarce.assertAccountsFor(SCARCE, Long.parseLong(redis.commands().get("stock:scarce")));
			}
			audit.catchUp(redis);
			assertThat(audit.decrements()).isPositive();
			assertThat(audit.decrementsOutsideTransactions()).isEmpty();
			TransactionConnections connections = service.bean(TransactionConnections.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> connections.leased() == 0);
		}
	}

}
