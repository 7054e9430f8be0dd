package io.stockservice.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A configuration that cannot work stops the start with a short report that names the
 * setting and the fix, and no stack trace: each test starts the whole service with one
 * bad setting and reads what it printed. Redis need not run: each of these fails before
 * the service would talk to it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	static final String REPORT = "APPLICATION FAILED TO START";

	/** A port where no Redis answers: the service starts without Redis, by design. */
	static final String NO_REDIS = "spring.data.redis.port=" + RedisServerProcess.freePort();

	@Test
	void aSentinelMasterWithoutSentinelsIsRefusedNamingBothSettings(CapturedOutput output) {
		String report = failToStart(output, "spring.data.redis.sentinel.master=mymaster");

		assertThat(report)
			.contains("Invalid setting spring.data.redis.sentinel.nodes: Sentinel needs both the sentinels")
			.contains("spring.data.redis.sentinel.master (e.g. mymaster)");
	}

	@Test
	void aClusterAndASentinelAtOnceAreRefused(CapturedOutput output) {
		String report = failToStart(output, "spring.data.redis.cluster.nodes=127.0.0.1:7000",
				"spring.data.redis.sentinel.master=mymaster", "spring.data.redis.sentinel.nodes=127.0.0.1:26379");

		assertThat(report).contains("Invalid setting spring.data.redis.cluster.nodes: it is set together with "
				+ "spring.data.redis.sentinel.*");
	}

	@Test
	void theRemovedIdempotencyKeyPrefixIsRefusedNamingWhatReplacedIt(CapturedOutput output) {
		String report = failToStart(output, NO_REDIS, "stock.idempotency.key-prefix=idem:");

		assertThat(report)
			.contains("Invalid setting stock.idempotency.key-prefix: it is no longer used: idempotency records live "
					+ "under stock.key-namespace")
			.contains("Action:\n\nRemove stock.idempotency.key-prefix");
	}

	@Test
	void aKeyPrefixWithABraceIsRefusedBecauseItWouldMoveKeysOutOfTheirSlot(CapturedOutput output) {
		String report = failToStart(output, NO_REDIS, "stock.key-prefix={stock}:");

		assertThat(report).contains("Invalid setting stock.key-prefix: it, or stock.key-namespace, holds '{' or '}'")
			.contains("Choose prefixes without braces");
	}

	@Test
	void aBusyPortForTheEmbeddedRedisIsRefusedNamingTheSettingAndAnotherPort(CapturedOutput output) throws IOException {
		try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			String report = failToStart(output, "spring.profiles.active=local",
					"spring.data.redis.port=" + busy.getLocalPort());

			assertThat(report)
				.contains("Invalid setting spring.data.redis.port: the local profile's embedded Redis cannot start on "
						+ "port " + busy.getLocalPort())
				.contains("--spring.data.redis.port=6380");
		}
	}

	@Test
	void aSettingOutOfRangeIsReportedByTheNameAUserWritesWithItsRuleAndSource(CapturedOutput output) {
		String report = failToStart(output, NO_REDIS, "stock.reduce.max-attempts=0");

		assertThat(report).contains("stock.reduce.max-attempts = \"0\": must be greater than or equal to 1")
			.contains("from property source \"commandLineArgs\"")
			.contains("STOCK_REDUCE_MAXATTEMPTS")
			.doesNotContain("maxAttempts");
	}

	@Test
	void anUnreadableSettingIsReportedWithItsValueAndWhyByBootItself(CapturedOutput output) {
		String report = failToStart(output, NO_REDIS, "stock.reduce.deadline=soon");

		assertThat(report).contains("Property: stock.reduce.deadline", "Value: \"soon\"",
				"'soon' is not a valid duration");
	}

	@Test
	void anUnknownStrategyIsReportedWithTheValidOnesByBootItself(CapturedOutput output) {
		String report = failToStart(output, NO_REDIS, "stock.reduce.strategy=optimistic");

		assertThat(report).contains("Property: stock.reduce.strategy", "The following values are valid:", "WATCH",
				"LUA");
	}

	/**
	 * Starts the service, which must fail, and returns its report; nothing it printed is
	 * a stack trace.
	 */
	static String failToStart(CapturedOutput output, String... properties) {
		assertThatException().isThrownBy(() -> RunningService.withProperties(properties).close());
		String all = output.getAll();
		assertThat(all).contains(REPORT).doesNotContain("\tat ", "Caused by:");
		String report = all.substring(all.lastIndexOf(REPORT));
		assertThat(report.lines().count()).as("a short report").isLessThan(20);
		return report;
	}

}
