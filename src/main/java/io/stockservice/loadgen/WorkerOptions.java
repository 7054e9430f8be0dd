package io.stockservice.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.stockservice.stock.WatchReduceStrategy;

/**
 * What one worker process is told on its command line by the coordinator.
 *
 * @param target where to reduce
 * @param strategy {@code watch} or {@code lua}, for a Redis target
 * @param sku the SKU to drain
 * @param quantity units per reduction
 * @param idempotent over HTTP, key every reduction and send it again until it is answered
 * @param warmUp reductions on a SKU of the worker's own before it reports ready
 * @param crashAfter test seam: halt after this many successes (0: never)
 * @param hangAfter test seam: stop answering after this many successes (0: never)
 */
record WorkerOptions(Target target, String strategy, String sku, long quantity, boolean idempotent, long warmUp,
		long crashAfter, long hangAfter) {

	private static final Set<String> VALUED = Set.of("--target", "--strategy", "--sku", "--quantity", "--warm-up",
			"--crash-after", "--hang-after");

	List<String> arguments() {
		List<String> arguments = new ArrayList<>(List.of("--target", this.target.uri(), "--strategy", this.strategy,
				"--sku", this.sku, "--quantity", Long.toString(this.quantity)));
		if (this.idempotent) {
			arguments.add("--idempotent");
		}
		if (this.warmUp > 0) {
			arguments.addAll(List.of("--warm-up", Long.toString(this.warmUp)));
		}
		if (this.crashAfter > 0) {
			arguments.addAll(List.of("--crash-after", Long.toString(this.crashAfter)));
		}
		if (this.hangAfter > 0) {
			arguments.addAll(List.of("--hang-after", Long.toString(this.hangAfter)));
		}
		return arguments;
	}

	static WorkerOptions parse(List<String> args) {
		Arguments arguments = Arguments.parse(args, VALUED, Set.of("--idempotent"));
		return new WorkerOptions(Target.parse(arguments.text("--target", LoadOptions.DEFAULT_TARGET)),
				arguments.text("--strategy", WatchReduceStrategy.NAME), arguments.text("--sku", "count"),
				arguments.number("--quantity", 1, 1, Long.MAX_VALUE), arguments.has("--idempotent"),
				arguments.number("--warm-up", 0, 0, Long.MAX_VALUE),
				arguments.number("--crash-after", 0, 0, Long.MAX_VALUE),
				arguments.number("--hang-after", 0, 0, Long.MAX_VALUE));
	}

}
