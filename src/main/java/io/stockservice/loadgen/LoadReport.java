package io.stockservice.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of a run, as {@code --report} writes it in JSON.
 *
 * @param target where the load went: the targets, comma-separated
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
 * @param latencyHistogram how many successful calls took how long, in buckets of a 1-2-5
 * series, from the fastest call's bucket to the slowest's
 * @param idempotent whether every reduction carried an idempotency key and was sent again
 * after a 503 or a timeout until it was answered
 * @param resent requests sent again with the same key
 * @param replays answers that replayed an earlier answer to the same key
 * @param perWorker each worker, in start order
 * @param perTarget each target, in the order given
 * @param perSecond successes and conflicts in each second of the run
 * @param invariants what the run proves
 * @param failures workers that died, hung or gave up
 * @param ok every invariant holds and every worker finished
 */
record LoadReport(String target, String strategy, String sku, long quantity, int workers, long initialStock,
		Long finalStock, long successes, long conflicts, double conflictsPerSuccess, double durationSeconds,
		double decrementsPerSecond, Latency latencyMillis, List<LatencyBucket> latencyHistogram, boolean idempotent,
		long resent, long replays, List<WorkerReport> perWorker, List<TargetReport> perTarget, PerSecond perSecond,
		Invariants invariants, List<Failure> failures, boolean ok) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static LoadReport of(LoadOptions options, RunResult run, Long finalStock) {
		List<WorkerResult> workers = run.workers();
		long successes = workers.stream().mapToLong(WorkerResult::successes).sum();
		long conflicts = workers.stream().mapToLong(WorkerResult::conflicts).sum();
		double seconds = run.durationNanos() / 1e9;
		Invariants invariants = Invariants.check(options.stock(), finalStock, options.quantity(), workers,
				options.idempotent());
		long[] latencies = latencies(workers);
		return new LoadReport(String.join(",", options.targets().stream().map(Target::uri).toList()),
				(options.kind() == Target.Kind.REDIS) ? options.strategy() : null, options.sku(), options.quantity(),
				options.workers(), options.stock(), finalStock, successes, conflicts,
				(successes > 0) ? round((double) conflicts / successes, 2) : 0, round(seconds, 3),
				(seconds > 0) ? round(successes / seconds, 1) : 0, Latency.ofNanos(latencies),
				LatencyBucket.histogram(latencies), options.idempotent(),
				workers.stream().mapToLong(WorkerResult::resent).sum(),
				workers.stream().mapToLong(WorkerResult::replays).sum(),
				workers.stream()
					.map((worker) -> new WorkerReport(worker.pid(), worker.target(), worker.successes(),
							worker.conflicts(), worker.attempts(), worker.resent()))
					.toList(),
				options.targets().stream().map((target) -> TargetReport.of(target.uri(), workers)).toList(),
				run.perSecond(), invariants, run.failures(), invariants.allHold() && run.failures().isEmpty());
	}

	private static long[] latencies(List<WorkerResult> workers) {
		return workers.stream().flatMapToLong((worker) -> Arrays.stream(worker.latencyNanos())).toArray();
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

	record WorkerReport(long pid, String target, long successes, long conflicts, long attempts, long resent) {
	}

	/**
	 * What the workers of one target did together.
	 *
	 * @param target its URI
	 * @param workers how many workers it had
	 * @param successes their successful reductions
	 * @param conflicts their transactions aborted by another client's write: over HTTP,
	 * the retries of the service instance at that target
	 * @param attempts all their transactions
	 * @param latencyMillis the time of their successful calls
	 */
	record TargetReport(String target, int workers, long successes, long conflicts, long attempts,
			Latency latencyMillis) {

		static TargetReport of(String target, List<WorkerResult> all) {
			List<WorkerResult> workers = all.stream().filter((worker) -> worker.target().equals(target)).toList();
			return new TargetReport(target, workers.size(), workers.stream().mapToLong(WorkerResult::successes).sum(),
					workers.stream().mapToLong(WorkerResult::conflicts).sum(),
					workers.stream().mapToLong(WorkerResult::attempts).sum(), Latency.ofNanos(latencies(workers)));
		}

	}

	/**
	 * The run second by second, from the release of the workers: index 0 is its first
	 * second.
	 *
	 * @param successes successful reductions in each second
	 * @param conflicts conflicts in each second
	 */
	record PerSecond(long[] successes, long[] conflicts) {
	}

	/**
	 * One bar of the latency histogram.
	 *
	 * @param fromMillis the bucket's lower bound, included
	 * @param toMillis its upper bound, excluded
	 * @param count successful calls that took that long
	 */
	record LatencyBucket(double fromMillis, double toMillis, long count) {

		/** Bounds of a 1-2-5 series, in milliseconds: 0.01 ms to 100 s. */
		private static final double[] BOUNDS = bounds();

		static List<LatencyBucket> histogram(long[] nanos) {
			long[] counts = new long[BOUNDS.length + 1];
			for (long value : nanos) {
				int index = Arrays.binarySearch(BOUNDS, value / 1e6);
				counts[(index >= 0) ? index + 1 : -index - 1]++;
			}
			int first = 0;
			while (first < counts.length && counts[first] == 0) {
				first++;
			}
			int last = counts.length - 1;
			while (last > first && counts[last] == 0) {
				last--;
			}
			List<LatencyBucket> buckets = new ArrayList<>();
			for (int i = first; i <= last; i++) {
				buckets.add(new LatencyBucket((i == 0) ? 0 : BOUNDS[i - 1],
						(i < BOUNDS.length) ? BOUNDS[i] : Double.MAX_VALUE, counts[i]));
			}
			return buckets;
		}

		private static double[] bounds() {
			List<Double> bounds = new ArrayList<>();
			for (double decade = 0.01; decade < 100_000; decade *= 10) {
				for (int step : new int[] { 1, 2, 5 }) {
					bounds.add(round(decade * step, 3));
				}
			}
			return bounds.stream().mapToDouble(Double::doubleValue).toArray();
		}

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
