package io.stockservice.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole runs of the load generator on a real Redis: the coordinator in this JVM, each
 * worker a JVM of its own started from this JVM's class path, as the article's clients
 * are separate processes. The {@link Timeout} is a guard against a hang, not a
 * measurement.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerJvmRunTests {

	final TestRedis redis = TestRedis.shared();

	final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	LoadReport run(String... args) throws InterruptedException {
		LoadOptions options = LoadOptions.parse(List.of(args), Map.of());
		return new Coordinator(options, WorkerLauncher.forThisJvm(),
				new PrintStream(this.printed, true, StandardCharsets.UTF_8), System.err)
			.run();
	}

	String target() {
		return "redis://" + this.redis.host() + ":" + this.redis.port();
	}

	List<String> printedLines() {
		return this.printed.toString(StandardCharsets.UTF_8).lines().toList();
	}

	@ParameterizedTest
	@ValueSource(strings = { "watch", "lua" })
	void threeWorkerJvmsSellEveryUnitExactlyOnceStraightOnRedis(String strategy) throws Exception {
		LoadReport report = run("--workers", "3", "--stock", "150", "--sku", "loadgen", "--strategy", strategy,
				"--target", target(), "--print", "--timeout", "2m");

		assertThat(report.failures()).isEmpty();
		assertThat(report.invariants()).isEqualTo(new Invariants(true, true, true));
		assertThat(report.ok()).isTrue();
		assertThat(report.successes()).isEqualTo(150);
		assertThat(report.finalStock()).isZero();
		assertThat(this.redis.commands().get("stock:loadgen")).isEqualTo("0");
		assertThat(report.perWorker()).extracting(LoadReport.WorkerReport::pid)
			.doesNotHaveDuplicates()
			.hasSize(3)
			.doesNotContain(ProcessHandle.current().pid());
	}

	/**
	 * Workers warmed up on SKUs of their own sell every unit once too, and the SKUs they
	 * warmed up on are gone afterwards.
	 */
	@Test
	void workersWarmedUpOnSkusOfTheirOwnSellEveryUnitExactlyOnce() throws Exception {
		LoadReport report = run("--workers", "3", "--stock", "150", "--sku", "loadgen", "--warm-up", "40", "--target",
				target(), "--timeout", "2m");

		assertThat(report.failures()).isEmpty();
		assertThat(report.invariants()).isEqualTo(new Invariants(true, true, true));
		assertThat(report.successes()).isEqualTo(150);
		assertThat(this.redis.commands().keys("*")).containsExactly("stock:loadgen");
	}

	/**
	 * {@code --print} lines come whole, one worker each, from the coordinator's one
	 * printing thread: one "left" line per unit sold.
	 */
	@Test
	void printedLinesAreWholeAndOnePerDecrement() throws Exception {
		LoadReport report = run("--workers", "3", "--stock", "60", "--sku", "loadgen", "--target", target(), "--print",
				"--timeout", "2m");

		assertThat(report.ok()).isTrue();
		assertThat(printedLines()).allMatch((line) -> line
			.matches("worker +[1-3] \\(pid \\d+\\): (\\d+ left|conflict, .*|sold out \\(0 left\\)|gave up .*)"));
		assertThat(printedLines()).filteredOn((line) -> line.endsWith(" left") && !line.contains("sold out"))
			.hasSize(60);
	}

	@Test
	void aWorkerThatExitsEarlyIsReportedAndTheRunFails() throws Exception {
		// A stock the other two workers could not drain in the seconds it takes to notice
		// the crash: 3,000 units were sometimes all sold first, and proved nothing.
		LoadReport report = run("--workers", "3", "--stock", "1000000", "--sku", "loadgen", "--strategy", "lua",
				"--target", target(), "--crash-worker-after", "5", "--timeout", "2m");

		assertThat(report.ok()).isFalse();
		assertThat(report.failures()).singleElement().satisfies((failure) -> {
			assertThat(failure.worker()).isEqualTo(1);
			assertThat(failure.pid()).isEqualTo(report.perWorker().get(0).pid());
			assertThat(failure.reason()).isEqualTo("exited with status 3 before finishing");
			assertThat(failure.logTail()).contains("--crash-after");
		});
		// The others were stopped rather than left to drain the stock.
		assertThat(report.finalStock()).isPositive();
		assertThat(report.perWorker().get(0).successes()).isEqualTo(5);
	}

	@Test
	void aWorkerThatHangsIsReportedAndKilledWhenTheRunsBoundPasses() throws Exception {
		LoadReport report = run("--workers", "2", "--stock", "2000", "--sku", "loadgen", "--strategy", "lua",
				"--target", target(), "--hang-worker-after", "5", "--timeout", "8s");

		assertThat(report.ok()).isFalse();
		assertThat(report.failures()).anySatisfy((failure) -> {
			assertThat(failure.worker()).isEqualTo(1);
			assertThat(failure.reason()).contains("within the run's bound of 8 s");
		});
		assertThat(ProcessHandle.of(report.perWorker().get(0).pid()).filter(ProcessHandle::isAlive)).isEmpty();
	}

}
