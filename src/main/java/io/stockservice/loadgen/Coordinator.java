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
		try (StockTarget admin = StockTarget.open(options.target(), options.strategy(), false, options.adminToken(),
				false)) {
			admin.setStock(options.sku(), options.stock());
			this.err.printf("loadgen: %s set to %d on %s; starting %d worker JVMs%n", options.sku(), options.stock(),
					options.target(), options.workers());
			RunResult run = new WorkerRun(options, this.launcher, LiveOutput.of(options, this.out, this.err))
				.run(deadline);
			return LoadReport.of(options, run, finalStock(admin));
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
