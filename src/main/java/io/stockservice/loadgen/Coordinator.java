package io.stockservice.loadgen;

import java.io.PrintStream;

import io.stockservice.stock.Deadline;

/**
 * One run, start to end: sets the stock, races the workers for it, reads what is left,
 * and checks what the workers said against it.
 */
final class Coordinator {

	private final LoadOptions options;

	private final WorkerLauncher launcher;

	private final PrintStream out;

	private final PrintStream err;

	Coordinator(LoadOptions options, WorkerLauncher launcher, PrintStream out, PrintStream err) {
		this.options = options;
		this.launcher = launcher;
		this.out = out;
		this.err = err;
	}

	LoadReport run() throws InterruptedException {
		Deadline deadline = Deadline.after(this.options.timeout());
		LoadOptions options = this.options;
		try (StockTarget admin = open(options.targets().get(0))) {
			admin.setStock(options.sku(), options.stock());
			checkEveryTargetSees(options.stock());
			this.err.printf("loadgen: %s set to %d on %s; starting %d worker JVMs%s%n", options.sku(), options.stock(),
					options.targets().get(0), options.workers(), (options.targets().size() > 1)
							? " spread over " + options.targets().size() + " targets " + options.targets() : "");
			RunResult run = new WorkerRun(options, this.launcher, LiveOutput.of(options, this.out, this.err))
				.run(deadline);
			return LoadReport.of(options, run, finalStock(admin));
		}
	}

	private StockTarget open(Target target) {
		return StockTarget.open(target, this.options.strategy(), this.options.adminToken(), false);
	}

	/**
	 * The stock is set through the first target; a target that reads another level is not
	 * a way to the same stock (another Redis, say), and a race over it would prove
	 * nothing.
	 */
	private void checkEveryTargetSees(long level) {
		for (Target target : this.options.targets().subList(1, this.options.targets().size())) {
			try (StockTarget other = open(target)) {
				long seen = other.stock(this.options.sku());
				if (seen != level) {
					throw new IllegalStateException(this.options.sku() + " was set to " + level + " through "
							+ this.options.targets().get(0) + " but " + target + " reads " + seen
							+ ": every --target must reach the same stock");
				}
			}
		}
	}

	private Long finalStock(StockTarget admin) {
		try {
			return admin.stock(this.options.sku());
		}
		catch (RuntimeException ex) {
			this.err.println("loadgen: cannot read the final stock: " + ex.getMessage());
			return null;
		}
	}

}
