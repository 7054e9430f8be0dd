package io.stockservice.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import io.stockservice.loadgen.Arguments.UsageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code loadgen --mode hold} against the running service on a real Redis: clients hold,
 * then confirm or release at the chosen ratio until nothing fits, and the report proves
 * that every unit is sold, available or reserved, with none left reserved.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RealRedisConfiguration.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HoldLoadTests {

	@LocalServerPort
	int port;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	@Test
	void clientsHoldThenConfirmOrReleaseUntilNothingFitsAndEveryUnitIsAccountedFor() throws Exception {
		HoldLoadOptions options = HoldLoadOptions
			.parse(List.of("--mode", "hold", "--workers", "4", "--stock", "200", "--sku", "held", "--quantity", "2",
					"--confirm-ratio", "0.7", "--target", "http://127.0.0.1:" + this.port), Map.of());

		HoldLoadReport report = new HoldLoad(options, new PrintStream(OutputStream.nullOutputStream())).run();
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));

		assertThat(report.invariants()).isEqualTo(new HoldLoadReport.Invariants(true, true, true));
		assertThat(report.ok()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
		assertThat(report.unitsSold()).isEqualTo(200);
		assertThat(report.finalAvailable()).isZero();
		assertThat(report.holds()).isEqualTo(report.confirmed() + report.released() + report.expired());
		assertThat(report.released()).isPositive();
		assertThat(report.observedConfirmRatio()).isBetween(0.45, 0.95);
		assertThat(report.refused()).isEqualTo(4);
		assertThat(this.redis.commands().get("stock:held")).isEqualTo("0");
		assertThat(this.redis.commands().exists("stock-service:reserved:{stock:held}")).isZero();
		assertThat(printed.toString(StandardCharsets.UTF_8))
			.contains("conservation     ok   sold 200 + available 0 + reserved 0 = initial 200")
			.endsWith("OK" + System.lineSeparator());
		assertThat(report.toJson()).contains("\"invariants\" : {").contains("\"conservation\" : true");
	}

	@Test
	void holdModeNeedsTheServiceAndARatioFromZeroToOne() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(
				() -> HoldLoadOptions.parse(List.of("--mode", "hold", "--target", "redis://127.0.0.1:6379"), Map.of()))
			.withMessageContaining("http://");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> HoldLoadOptions
				.parse(List.of("--mode", "hold", "--target", "http://127.0.0.1:1", "--confirm-ratio", "1.5"), Map.of()))
			.withMessageContaining("--confirm-ratio");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> HoldLoadOptions.reduceArguments(List.of("--mode", "sell")))
			.withMessageContaining("--mode must be reduce or hold");
		assertThat(HoldLoadOptions.reduceArguments(List.of("--mode", "reduce", "--stock", "5")))
			.containsExactly("--stock", "5");
		assertThat(HoldLoadOptions.requested(List.of("--stock", "5", "--mode=hold"))).isTrue();
	}

}
