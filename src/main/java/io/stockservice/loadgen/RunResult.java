package io.stockservice.loadgen;

import java.util.List;

/**
 * What the workers of a run did.
 *
 * @param workers each worker's results, in start order
 * @param latencyNanos the time of every successful reduction call
 * @param durationNanos from the release of the workers to the last one's end
 * @param failures workers that died, hung or gave up
 */
record RunResult(List<WorkerResult> workers, long[] latencyNanos, long durationNanos,
		List<LoadReport.Failure> failures) {
}
