package io.stockservice.loadgen;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.stockservice.stock.Deadline;

/**
 * A {@code --mode hold} run: sets the stock, then each client holds units, confirms or
 * releases the hold (at the chosen ratio), and does it again, until a hold no longer
 * fits; then it reads the stock and checks that no unit was made or lost.
 * <p>
 * The clients are threads of this JVM rather than worker JVMs: they measure the service's
 * reservations over HTTP, where a process per client adds only start-up.
 */
final class HoldLoad {

	private final HoldLoadOptions options;

	private final PrintStream err;

	HoldLoad(HoldLoadOptions options, PrintStream err) {
		this.options = options;
		this.err = err;
	}

	HoldLoadReport run() throws InterruptedException {
		HoldLoadOptions options = this.options;
		try (HttpStockTarget admin = new HttpStockTarget(options.target().uri(), options.adminToken(), false)) {
			admin.setStock(options.sku(), options.stock());
		}
		this.err.printf("loadgen: %s set to %d on %s; %d clients hold, then confirm %.0f %% and release the rest%n",
				options.sku(), options.stock(), options.target(), options.workers(), options.confirmRatio() * 100);
		Deadline deadline = Deadline.after(options.timeout());
		ExecutorService threads = Executors.newFixedThreadPool(options.workers());
		List<Future<Tally>> clients = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < options.workers(); i++) {
			long seed = i;
			clients.add(threads.submit(() -> client(new SplittableRandom(seed), deadline)));
		}
		List<Tally> tallies = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < clients.size(); i++) {
			try {
				tallies.add(clients.get(i).get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS));
			}
			catch (java.util.concurrent.ExecutionException ex) {
				failures.add("client " + (i + 1) + ": " + ex.getCause().getMessage());
			}
			catch (TimeoutException ex) {
				failures.add("client " + (i + 1) + ": did not finish within " + options.timeout().toSeconds() + " s");
			}
		}
		long duration = System.nanoTime() - start;
		threads.shutdownNow();
		long[] finalStock = finalStock();
		return HoldLoadReport.of(options, tallies, duration, finalStock, failures);
	}

	/** One client: hold, confirm or release, until a hold does not fit. */
	private Tally client(SplittableRandom random, Deadline deadline) {
		HttpReservations service = new HttpReservations(this.options.target().uri());
		Tally tally = new Tally();
		while (!deadline.expired()) {
			long start = System.nanoTime();
			String id;
			try {
				id = service.hold(this.options.sku(), this.options.quantity(), this.options.ttl());
			}
			catch (HttpReservations.Busy ex) {
				tally.busy++;
				continue;
			}
			if (id == null) {
				tally.refused++;
				return tally;
			}
			boolean confirm = random.nextDouble() < this.options.confirmRatio();
			String state = end(service, id, confirm, tally);
			switch (state) {
				case "confirmed" -> tally.confirmed++;
				case "released" -> tally.released++;
				default -> tally.expired++;
			}
			tally.latencies.add(System.nanoTime() - start);
		}
		return tally;
	}

	private static String end(HttpReservations service, String id, boolean confirm, Tally tally) {
		for (;;) {
			try {
				return service.end(id, confirm);
			}
			catch (HttpReservations.Busy ex) {
				tally.busy++;
			}
		}
	}

	private long[] finalStock() {
		try {
			return new HttpReservations(this.options.target().uri()).stock(this.options.sku());
		}
		catch (RuntimeException ex) {
			this.err.println("loadgen: cannot read the final stock: " + ex.getMessage());
			return null;
		}
	}

	/** What one client did. */
	static final class Tally {

		long confirmed;

		long released;

		long expired;

		long refused;

		long busy;

		final LongSamples latencies = new LongSamples();

	}

}
