package io.stockservice.loadgen;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One worker process: the article's {@code worker()} loop, "reduce until out of stock",
 * as one client of its own, talking to the coordinator by {@link WorkerProtocol}.
 */
final class WorkerMain {

	static final int FAILED = 1;

	/** The status of the {@code --crash-after} test seam. */
	static final int CRASHED = 3;

	/** The coordinator closed our input: it is gone, and nobody reads our results. */
	static final int ORPHANED = 4;

	private static final long FLUSH_EVERY_MILLIS = 20;

	private final PrintStream protocol;

	private final CountDownLatch go = new CountDownLatch(1);

	private volatile boolean stopped;

	private WorkerMain(PrintStream protocol) {
		this.protocol = protocol;
	}

	static int run(List<String> args) {
		// Buffered, and flushed every few milliseconds rather than after every sale: a
		// write per sale, and the coordinator's read and wake-up per write, would cost
		// more CPU than the sale itself on a small machine that also runs Redis and ten
		// workers.
		PrintStream protocol = new PrintStream(
				new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
				StandardCharsets.UTF_8);
		// Only protocol lines may reach the coordinator on standard output: whatever else
		// a library prints goes to standard error, which the coordinator keeps as our
		// log.
		System.setOut(System.err);
		return new WorkerMain(protocol).run(WorkerOptions.parse(args));
	}

	private int run(WorkerOptions options) {
		listenToCoordinator();
		flushPeriodically();
		try (StockTarget target = StockTarget.open(options.target(), options.strategy(), null, options.idempotent())) {
			// Connects, and checks that there is stock to race for, before the race.
			target.stock(options.sku());
			if (options.warmUp() > 0) {
				warmUp(target, options.warmUp());
			}
			send(WorkerProtocol.READY);
			this.go.await();
			long sold = 0;
			while (!this.stopped) {
				long start = System.nanoTime();
				Sale sale = target.sell(options.sku(), options.quantity());
				report(WorkerProtocol.report(sale, System.nanoTime() - start));
				if (sale instanceof Sale.SoldOut) {
					break;
				}
				if (sale instanceof Sale.Sold) {
					sold++;
					injectFaults(options, sold);
				}
			}
			send(WorkerProtocol.DONE);
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			send(WorkerProtocol.error("interrupted"));
			return FAILED;
		}
		catch (RuntimeException ex) {
			ex.printStackTrace();
			send(WorkerProtocol.error(ex.getMessage()));
			return FAILED;
		}
	}

	/**
	 * Runs the reduce loop on a SKU of this worker's own before the race, then deletes
	 * it. A JVM compiles its hot code during its first several thousand calls; ten JVMs
	 * doing that during the race would measure their compilers, not the algorithm.
	 */
	private static void warmUp(StockTarget target, long reductions) {
		String sku = "loadgen.warm-up." + ProcessHandle.current().pid();
		target.setStock(sku, reductions);
		try {
			while (!(target.sell(sku, 1) instanceof Sale.SoldOut)) {
				// Only the warmth is kept.
			}
		}
		finally {
			target.delete(sku);
		}
	}

	/** The documented test seams of {@link LoadOptions}: a crash, and a hang. */
	private void injectFaults(WorkerOptions options, long sold) throws InterruptedException {
		if (sold == options.crashAfter() || sold == options.hangAfter()) {
			// What was sold before the fault is reported, as by a worker that flushed
			// each sale.
			this.protocol.flush();
		}
		if (sold == options.crashAfter()) {
			System.err.println("Halting after " + sold + " successes, as --crash-after asks");
			Runtime.getRuntime().halt(CRASHED);
		}
		if (sold == options.hangAfter()) {
			System.err.println("Hanging after " + sold + " successes, as --hang-after asks");
			Thread.sleep(Long.MAX_VALUE);
		}
	}

	/** A line that ends a phase (READY, DONE, ERROR): written at once. */
	private void send(String line) {
		this.protocol.print(line + "\n");
		this.protocol.flush();
	}

	/** A sale: written with the next periodic flush. */
	private void report(String line) {
		this.protocol.print(line + "\n");
	}

	private void flushPeriodically() {
		Thread flusher = new Thread(() -> {
			while (true) {
				try {
					Thread.sleep(FLUSH_EVERY_MILLIS);
				}
				catch (InterruptedException ex) {
					return;
				}
				this.protocol.flush();
			}
		}, "protocol-flusher");
		flusher.setDaemon(true);
		flusher.start();
	}

	private void listenToCoordinator() {
		Thread listener = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
				for (String line; (line = in.readLine()) != null;) {
					if (line.equals(WorkerProtocol.STOP)) {
						this.stopped = true;
					}
					this.go.countDown();
				}
			}
			catch (IOException ex) {
				// Treated as the end of input.
			}
			Runtime.getRuntime().halt(ORPHANED);
		}, "coordinator-listener");
		listener.setDaemon(true);
		listener.start();
	}

}
