package io.stockservice.faults;

import java.time.Duration;

import io.stockservice.faults.ReduceLoad.Answer;
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
 * Redis frozen with SIGSTOP for 2 s while eight clients keep reducing, then thawed. A
 * frozen Redis keeps its connections open and answers nothing, the worst case for a
 * client: nothing fails, it just never comes back. Every call still ends by its deadline
 * with a 503 instead of hanging, no connection is lost from the pool, and the stock
 * accounts for every answer: what was acknowledged was taken, and nothing was taken
 * beyond that except by calls answered "unavailable" (whose EXEC, already written to the
 * frozen server, runs when it thaws).
 * <p>
 * The deadline is shortened to 500 ms so that the 2 s pause is certainly longer than it.
 * {@code scarce} runs out during the run, {@code plenty} never does.
 */
class RedisPausedFaultTests {

	private static final Logger logger = LoggerFactory.getLogger(RedisPausedFaultTests.class);

	static final long PLENTY = 1_000_000;

	static final long SCARCE = 200;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "watch", "lua" })
	void callsPastTheirDeadlineGet503NothingHangsAndTheStockAccountsForEveryAnswer(String strategy)
			throws InterruptedException {
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService service = RunningService.on(redis, "stock.reduce.strategy=" + strategy,
						"stock.reduce.deadline=500ms")) {
			redis.commands().set("stock:plenty", Long.toString(PLENTY));
			redis.commands().set("stock:scarce", Long.toString(SCARCE));
			// A call the service held past 30 s would count as timed out: it hung.
			try (ReduceLoad load = ReduceLoad.plain(service.uri(), 8, Duration.ofSeconds(30), "plenty", "scarce")) {
				Tally plenty = load.tally("plenty");
				Tally scarce = load.tally("scarce");
				await().atMost(Duration.ofMinutes(1)).until(() -> plenty.successes() >= 50);

				redis.pause();
				Thread.sleep(2_000);
				redis.resume();

				long beforeThaw = plenty.successes();
				await().atMost(Duration.ofMinutes(1)).until(() -> plenty.successes() >= beforeThaw + 50);
				load.stop();

				logger.info("{}: plenty: {}; scarce: {}", strategy, plenty, scarce);
				assertThat(load.unexpected()).isEmpty();
				assertThat(plenty.calls(Answer.Kind.TIMED_OUT) + scarce.calls(Answer.Kind.TIMED_OUT)).isZero();
				assertThat(plenty.calls(Answer.Kind.UNAVAILABLE) + plenty.calls(Answer.Kind.CONTENTION)
						+ scarce.calls(Answer.Kind.UNAVAILABLE) + scarce.calls(Answer.Kind.CONTENTION))
					.as("503s while Redis was frozen")
					.isPositive();
				plenty.assertAccountsFor(PLENTY, Long.parseLong(redis.commands().get("stock:plenty")));
				scarce.assertAccountsFor(SCARCE, Long.parseLong(redis.commands().get("stock:scarce")));
			}
			TransactionConnections connections = service.bean(TransactionConnections.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> connections.leased() == 0);
		}
	}

}
