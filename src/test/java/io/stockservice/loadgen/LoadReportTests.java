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

	static final String FIRST = "http://127.0.0.1:8080";

	static final String SECOND = "http://127.0.0.1:8081";

	static final LoadOptions OPTIONS = LoadOptions
		.parse(List.of("--workers", "3", "--stock", "4", "--target", FIRST + "," + SECOND), Map.of());

	/** Workers 1 and 3 on the first target, worker 2 on the second. */
	static RunResult run(List<LoadReport.Failure> failures) {
		return new RunResult(
				List.of(new WorkerResult(11, FIRST, new long[] { 3, 0 }, new long[] { 1_000_000, 4_000_000 }, 3, 6, 0,
						0), new WorkerResult(12, SECOND, new long[] { 1 }, new long[] { 2_000_000 }, 1, 3, 0, 0),
						new WorkerResult(13, FIRST, new long[] { 2 }, new long[] { 8_000_000 }, 0, 2, 0, 0)),
				Duration.ofMillis(1500).toNanos(), new LoadReport.PerSecond(new long[] { 3, 1 }, new long[] { 4, 0 }),
				failures);
	}

	@Test
	void theJsonNamesTheFieldsOfTheIssueInItsOrder() {
		JsonNode json = JsonMapper.shared().readTree(LoadReport.of(OPTIONS, run(List.of()), 0L).toJson());

		assertThat(json.propertyNames()).containsExactly("target", "strategy", "sku", "quantity", "workers",
				"initialStock", "finalStock", "successes", "conflicts", "conflictsPerSuccess", "durationSeconds",
				"decrementsPerSecond", "latencyMillis", "latencyHistogram", "idempotent", "resent", "replays",
				"perWorker", "perTarget", "perSecond", "invariants", "failures", "ok");
		assertThat(json.path("perWorker").path(0).propertyNames()).containsExactly("pid", "target", "successes",
				"conflicts", "attempts", "resent");
		assertThat(json.path("perTarget").path(0).propertyNames()).containsExactly("target", "workers", "successes",
				"conflicts", "attempts", "latencyMillis");
		assertThat(json.path("perSecond").propertyNames()).containsExactly("successes", "conflicts");
		assertThat(json.path("invariants").propertyNames()).containsExactly("conservation", "noOversell",
				"eachValueOnce");
	}

	@Test
	void figuresAreDerivedFromTheWorkersResults() {
		LoadReport report = LoadReport.of(OPTIONS, run(List.of()), 0L);

		assertThat(report.target()).isEqualTo(FIRST + "," + SECOND);
		assertThat(report.successes()).isEqualTo(4);
		assertThat(report.conflicts()).isEqualTo(4);
		assertThat(report.conflictsPerSuccess()).isEqualTo(1.0);
		assertThat(report.decrementsPerSecond()).isEqualTo(2.7);
		assertThat(report.latencyMillis()).isEqualTo(new LoadReport.Latency(2.0, 8.0, 8.0));
		assertThat(report.ok()).isTrue();
	}

	@Test
	void eachTargetSumsItsOwnWorkersAndTakesTheirLatencies() {
		LoadReport report = LoadReport.of(OPTIONS, run(List.of()), 0L);

		assertThat(report.perTarget()).containsExactly(
				new LoadReport.TargetReport(FIRST, 2, 3, 3, 8, new LoadReport.Latency(4.0, 8.0, 8.0)),
				new LoadReport.TargetReport(SECOND, 1, 1, 1, 3, new LoadReport.Latency(2.0, 2.0, 2.0)));
		assertThat(report.perWorker()).extracting(LoadReport.WorkerReport::target)
			.containsExactly(FIRST, SECOND, FIRST);
	}

	@Test
	void theLatencyHistogramCountsEveryCallOnceInBucketsOfAOneTwoFiveSeries() {
		LoadReport report = LoadReport.of(OPTIONS, run(List.of()), 0L);

		assertThat(report.latencyHistogram()).containsExactly(new LoadReport.LatencyBucket(1, 2, 1),
				new LoadReport.LatencyBucket(2, 5, 2), new LoadReport.LatencyBucket(5, 10, 1));
	}

	@Test
	void theHistogramOfNoCallsIsEmptyAndOfOneCallHasOneBucket() {
		assertThat(LoadReport.LatencyBucket.histogram(new long[0])).isEmpty();
		assertThat(LoadReport.LatencyBucket.histogram(new long[] { 150_000 }))
			.containsExactly(new LoadReport.LatencyBucket(0.1, 0.2, 1));
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
