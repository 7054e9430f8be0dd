package io.stockservice.loadgen;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.RedisServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once check from outside: worker JVMs key every reduction and send it again
 * after each 503 while the service's Redis is frozen (SIGSTOP) longer than the service's
 * deadline, and still every reduction takes its units once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(IdempotentLoadTests.OwnRedis.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IdempotentLoadTests {

	static final RedisServerProcess redis = RedisServerProcess.start();

	@LocalServerPort
	int port;

	@TestConfiguration(proxyBeanMethods = false)
	static class OwnRedis {

		@Bean
		DataRedisConnectionDetails frozenLaterRedis() {
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of(redis.host(), redis.port());
				}

			};
		}

	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void keyedRetriesThroughAFrozenRedisStillTakeEveryUnitExactlyOnce() throws Exception {
		LoadOptions options = LoadOptions.parse(List.of("--workers", "3", "--stock", "3000", "--sku", "retried",
				"--target", "http://127.0.0.1:" + this.port, "--idempotent", "--timeout", "2m"), Map.of());
		CompletableFuture<LoadReport> run = CompletableFuture.supplyAsync(() -> runToTheEnd(options));

		Awaitility.await()
			.atMost(Duration.ofMinutes(1))
			.until(() -> Long.parseLong(redis.commands().get("stock:retried")) < 2990);
		redis.pause();
		Thread.sleep(3_000);
		redis.resume();
		LoadReport report = run.get(2, TimeUnit.MINUTES);

		assertThat(report.failures()).isEmpty();
		assertThat(report.resent()).isPositive();
		assertThat(report.invariants()).isEqualTo(new Invariants(true, true, true, true));
		assertThat(report.successes()).isEqualTo(3000);
		assertThat(redis.commands().get("stock:retried")).isEqualTo("0");
	}

	static LoadReport runToTheEnd(LoadOptions options) {
		try {
			return new Coordinator(options, WorkerLauncher.forThisJvm(),
					new PrintStream(OutputStream.nullOutputStream()), System.err)
				.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
