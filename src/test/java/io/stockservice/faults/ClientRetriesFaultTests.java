package io.stockservice.faults;

import java.time.Duration;

import io.lettuce.core.KillArgs;
import io.stockservice.faults.ReduceLoad.Answer;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.params.ParameterizedTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that retry every 503 and every timeout with the request's Idempotency-Key,
 * while Redis is frozen for 2 s and then has its connections killed: calls whose EXEC ran
 * but whose answer was lost are retried, and so are calls the client gave up on after 1 s
 * while the service was still working on them (so a retry can race its original). Each
 * logical request is applied exactly once: the final stock is the initial stock less the
 * acknowledged units, to the unit, with nothing left in doubt.
 * <p>
 * The deadline is shortened to 500 ms so that the 2 s pause certainly ends calls with
 * 503. {@code scarce} runs out during the run, so refusals are replayed too.
 */
class ClientRetriesFaultTests {

	private static final Logger logger = LoggerFactory.getLogger(ClientRetriesFaultTests.class);

	static final long PLENTY = 1_000_000;

	static final long SCARCE = 100;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void everyLogicalRequestIsAppliedExactlyOnce(String strategy) throws InterruptedException {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy,
						"stock.reduce.deadline=500ms")) {
			redis.commands().set("stock:plenty", Long.toString(PLENTY));
			redis.commands().set("stock:scarce", Long.toString(SCARCE));
			try (ReduceLoad load = ReduceLoad.idempotent(service.uri(), 8, Duration.ofSeconds(1), "plenty", "scarce")) {
				Tally plenty = load.tally("plenty");
				Tally scarce = load.tally("scarce");
				await().atMost(Duration.ofMinutes(1)).until(() -> plenty.successes() >= 50);

				redis.pause();
				Thread.sleep(2_000);
				redis.resume();
				for (int kills = 0; kills < 5; kills++) {
					redis.commands().clientKill(KillArgs.Builder.typeNormal());
					Thread.sleep(100);
				}

				long afterFaults = plenty.successes();
				await().atMost(Duration.ofMinutes(1))
					.until(() -> plenty.successes() >= afterFaults + 50 && scarce.calls(Answer.Kind.INSUFFICIENT) > 0);
				load.stop();

				logger.info("{}: plenty: {}; scarce: {}", strategy, plenty, scarce);
				assertThat(load.unexpected()).isEmpty();
				assertThat(plenty.retries() + scarce.retries()).as("retries").isPositive();
				assertThat(scarce.calls(Answer.Kind.INSUFFICIENT)).as("sold out").isPositive();
				assertThat(plenty.inDoubt() + scarce.inDoubt()).isZero();
				assertThat(redis.commands().get("stock:plenty"))
					.isEqualTo(Long.toString(PLENTY - plenty.acknowledged()));
				assertThat(redis.commands().get("stock:scarce"))
					.isEqualTo(Long.toString(SCARCE - scarce.acknowledged()));
			}
		}
	}

}
