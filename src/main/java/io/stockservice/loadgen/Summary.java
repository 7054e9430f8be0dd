package io.stockservice.loadgen;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The report as a person reads it at the end of a run. */
final class Summary {

	private Summary() {
	}

	static void print(LoadReport report, PrintStream out) {
		out.println(line("%d worker JVMs drained %s on %s%s: %,d units, %d per reduction", report.workers(),
				report.sku(), report.target().replace(",", ", "),
				(report.strategy() != null) ? " (" + report.strategy() + ")" : "", report.initialStock(),
				report.quantity()));
		out.println(line("sold %,d in %,.3f s: %,.1f decrements/s, %,d conflicts (%.2f per success)",
				report.successes() * report.quantity(), report.durationSeconds(), report.decrementsPerSecond(),
				report.conflicts(), report.conflictsPerSuccess()));
		if (report.idempotent()) {
			out.println(line("idempotent: every reduction keyed; %,d requests sent again after a 503 or a timeout, "
					+ "%,d answered as replays", report.resent(), report.replays()));
		}
		LoadReport.Latency latency = report.latencyMillis();
		out.println(line("latency ms: p50 %.3f, p99 %.3f, max %.3f", latency.p50(), latency.p99(), latency.max()));
		out.println(line("%6s %9s %10s %10s %10s", "worker", "pid", "successes", "conflicts", "attempts"));
		List<LoadReport.WorkerReport> workers = report.perWorker();
		for (int i = 0; i < workers.size(); i++) {
			LoadReport.WorkerReport worker = workers.get(i);
			out.println(line("%6d %9d %10d %10d %10d", i + 1, worker.pid(), worker.successes(), worker.conflicts(),
					worker.attempts()));
		}
		if (report.perTarget().size() > 1) {
			printTargets(report.perTarget(), out);
		}
		Invariants invariants = report.invariants();
		String finalStock = (report.finalStock() != null) ? report.finalStock().toString() : "unknown";
		out.println(check("conservation", invariants.conservation(), "sold " + report.successes() * report.quantity()
				+ " = initial " + report.initialStock() + " - final " + finalStock));
		out.println(check("no oversell", invariants.noOversell(), "no success left a negative stock"));
		out.println(check("each value once", invariants.eachValueOnce(), "every remaining stock from "
				+ (report.initialStock() - report.quantity()) + " down was returned once"));
		if (invariants.exactlyOnce() != null) {
			out.println(check("exactly once", invariants.exactlyOnce(),
					"despite " + report.resent() + " resent requests, each reduction took its units once"));
		}
		for (LoadReport.Failure failure : report.failures()) {
			out.println(line("worker %d (pid %d) %s", failure.worker(), failure.pid(), failure.reason()));
		}
		if (!report.failures().isEmpty() && !report.failures().get(0).logTail().isBlank()) {
			// The first failure is the one that stopped the run; the others follow from
			// it.
			out.println(line("last log lines of worker %d:", report.failures().get(0).worker()));
			report.failures().get(0).logTail().lines().forEach((logLine) -> out.println("  | " + logLine));
		}
		out.println(report.ok() ? "OK" : "FAILED");
	}

	private static void printTargets(List<LoadReport.TargetReport> targets, PrintStream out) {
		int width = Math.max(6, targets.stream().mapToInt((target) -> target.target().length()).max().orElse(0));
		out.println(line("%-" + width + "s %7s %10s %10s %10s %9s %9s", "target", "workers", "successes", "conflicts",
				"attempts", "p50 ms", "p99 ms"));
		for (LoadReport.TargetReport target : targets) {
			out.println(line("%-" + width + "s %7d %10d %10d %10d %9.3f %9.3f", target.target(), target.workers(),
					target.successes(), target.conflicts(), target.attempts(), target.latencyMillis().p50(),
					target.latencyMillis().p99()));
		}
	}

	private static String check(String name, boolean holds, String what) {
		return line("%-16s %-4s %s", name, holds ? "ok" : "FAIL", what);
	}

	private static String line(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
