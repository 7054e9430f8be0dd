package io.stockservice.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The report of a run, from crafted worker results. */
class LoadReportTests {

	static final LoadOptions OPTIONS = LoadOptions.parse(List.of("--workers", "2", "--stock", "3"), Map.of());

	static RunResult run(List<LoadReport.Failure> failures) {
		return new RunResult(
				List.of(new WorkerResult(11, new long[] { 2, 0 }, 3, 6), new WorkerResult(12, new long[] { 1 }, 1, 3)),
				new long[] { 1_000_000, 2_000_000, 4_000_000 }, Duration.ofMillis(500).toNanos(), failures);
	}

	@Test
	void theJsonNamesTheFieldsOfTheIssueInItsOrder() {
		JsonNode json = JsonMapper.shared().readTree(LoadReport.of(OPTIONS, run(List.of()), 0L).toJson());

		assertThat(json.propertyNames()).containsExactly("target", "strategy", "sku", "quantity", "workers",
				"initialStock", "finalStock", "successes", "conflicts", "conflictsPerSuccess", "durationSeconds",
				"decrementsPerSecond", "latencyMillis", "idempotent", "resent", "replays", "perWorker", "invariants",
				"failures", "ok");
		assertThat(json.path("perWorker").path(0).propertyNames()).containsExactly("pid", "successes", "conflicts",
				"attempts", "resent");
		assertThat(json.path("invariants").propertyNames()).containsExactly("conservation", "noOversell",
				"eachValueOnce");
	}

	@Test
	void figuresAreDerivedFromTheWorkersResults() {
		LoadReport report = LoadReport.of(OPTIONS, run(List.of()), 0L);

		assertThat(report.successes()).isEqualTo(3);
		assertThat(report.conflicts()).isEqualTo(4);
		assertThat(report.conflictsPerSuccess()).isEqualTo(1.33);
		assertThat(report.decrementsPerSecond()).isEqualTo(6.0);
		assertThat(report.latencyMillis()).isEqualTo(new LoadReport.Latency(2.0, 4.0, 4.0));
		assertThat(report.ok()).isTrue();
	}

	@Test
	void latencyPercentilesAreTheNearestRank() {
		long[] nanos = LongStream.rangeClosed(1, 200).map((millis) -> millis * 1_000_000).toArray();

		assertThat(LoadReport.Latency.ofNanos(nanos)).isEqualTo(new LoadReport.Latency(100.0, 198.0, 200.0));
	}

	@Test
	void aRunWithAFailedWorkerIsNotOkEvenWhenEveryInvariantHolds() {
		LoadReport report = LoadReport.of(OPTIONS,
				run(List.of(new LoadReport.Failure(2, 12, "exited with status 1", ""))), 0L);

		assertThat(report.invariants().allHold()).isTrue();
		assertThat(report.ok()).isFalse();
	}

	@Test
	void theLogTailOfAFailureStaysOutOfTheJson() {
		LoadReport report = LoadReport.of(OPTIONS,
				run(List.of(new LoadReport.Failure(2, 12, "exited with status 1", "a long stack trace"))), 0L);

		assertThat(report.toJson()).contains("exited with status 1").doesNotContain("a long stack trace");
	}

}
