package io.stockservice.loadgen;

import java.util.List;

/**
 * What the workers of a run did.
 *
 * @param workers each worker's results, in start order
 * @param durationNanos from the release of the workers to the last one's end
 * @param perSecond successes and conflicts in each second of the run
 * @param failures workers that died, hung or gave up
 */
record RunResult(List<WorkerResult> workers, long durationNanos, LoadReport.PerSecond perSecond,
		List<LoadReport.Failure> failures) {
}
