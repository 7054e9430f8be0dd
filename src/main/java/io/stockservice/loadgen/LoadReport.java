package io.stockservice.loadgen;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of a run, as {@code --report} writes it in JSON.
 *
 * @param target where the load went
 * @param strategy the reduce strategy of a Redis target; {@code null} over HTTP, where
 * the service's {@code stock.reduce.strategy} decides
 * @param sku the SKU drained
 * @param quantity units per reduction
 * @param workers worker processes started
 * @param initialStock the stock set before the race
 * @param finalStock the stock after it, or {@code null} if it could not be read
 * @param successes successful reductions
 * @param conflicts transactions aborted by another client's write
 * @param conflictsPerSuccess {@code conflicts / successes}
 * @param durationSeconds from the release of the workers to the last one's end
 * @param decrementsPerSecond {@code successes / durationSeconds}
 * @param latencyMillis time of one successful reduction call, its retries included
 * @param idempotent whether every reduction carried an idempotency key and was sent again
 * after a 503 or a timeout until it was answered
 * @param resent requests sent again with the same key
 * @param replays answers that replayed an earlier answer to the same key
 * @param perWorker each worker, in start order
 * @param invariants what the run proves
 * @param failures workers that died, hung or gave up
 * @param ok every invariant holds and every worker finished
 */
record LoadReport(String target, String strategy, String sku, long quantity, int workers, long initialStock,
		Long finalStock, long successes, long conflicts, double conflictsPerSuccess, double durationSeconds,
		double decrementsPerSecond, Latency latencyMillis, boolean idempotent, long resent, long replays,
		List<WorkerReport> perWorker, Invariants invariants, List<Failure> failures, boolean ok) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static LoadReport of(LoadOptions options, RunResult run, Long finalStock) {
		List<WorkerResult> workers = run.workers();
		long successes = workers.stream().mapToLong(WorkerResult::successes).sum();
		long conflicts = workers.stream().mapToLong(WorkerResult::conflicts).sum();
		double seconds = run.durationNanos() / 1e9;
		Invariants invariants = Invariants.check(options.stock(), finalStock, options.quantity(), workers,
				options.idempotent());
		return new LoadReport(options.target().uri(),
				(options.target().kind() == Target.Kind.REDIS) ? options.strategy() : null, options.sku(),
				options.quantity(), options.workers(), options.stock(), finalStock, successes, conflicts,
				(successes > 0) ? round((double) conflicts / successes, 2) : 0, round(seconds, 3),
				(seconds > 0) ? round(successes / seconds, 1) : 0, Latency.ofNanos(run.latencyNanos()),
				options.idempotent(), workers.stream().mapToLong(WorkerResult::resent).sum(),
				workers.stream().mapToLong(WorkerResult::replays).sum(),
				workers.stream()
					.map((worker) -> new WorkerReport(worker.pid(), worker.successes(), worker.conflicts(),
							worker.attempts(), worker.resent()))
					.toList(),
				invariants, run.failures(), invariants.allHold() && run.failures().isEmpty());
	}

	String toJson() {
		return JSON.writeValueAsString(this);
	}

	private static double round(double value, int decimals) {
		double scale = Math.pow(10, decimals);
		return Math.round(value * scale) / scale;
	}

	/** Latency percentiles in milliseconds (nearest rank). */
	record Latency(double p50, double p99, double max) {

		static Latency ofNanos(long[] nanos) {
			if (nanos.length == 0) {
				return new Latency(0, 0, 0);
			}
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			return new Latency(millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)),
					millis(sorted[sorted.length - 1]));
		}

		private static long rank(long[] sorted, double percentile) {
			int index = (int) Math.ceil(percentile * sorted.length) - 1;
			return sorted[Math.max(0, index)];
		}

		private static double millis(long nanos) {
			return round(nanos / 1e6, 3);
		}

	}

	record WorkerReport(long pid, long successes, long conflicts, long attempts, long resent) {
	}

	/**
	 * @param worker the worker's number, from 1
	 * @param pid its process id
	 * @param reason what went wrong
	 * @param logTail the last lines of its log, shown in the summary rather than the JSON
	 */
	record Failure(int worker, long pid, String reason, @JsonIgnore String logTail) {
	}

}
