package io.stockservice.loadgen;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of a {@code --mode hold} run, as {@code --report} writes it in JSON and the
 * summary prints it.
 *
 * @param target the service
 * @param sku the SKU held
 * @param quantity units per hold
 * @param workers client threads
 * @param ttl the TTL of each hold (ISO-8601)
 * @param confirmRatio the share of holds asked to be confirmed
 * @param initialStock the stock set before the run
 * @param finalAvailable {@code available} after it, or {@code null} if it could not be
 * read
 * @param finalReserved {@code reserved} after it, or {@code null}
 * @param holds holds made
 * @param confirmed holds confirmed
 * @param released holds released
 * @param expired holds found expired when confirmed or released (a TTL too short for the
 * run)
 * @param refused holds that did not fit: each client's last
 * @param busy answers 503 contention, each tried again
 * @param unitsSold {@code confirmed * quantity}
 * @param observedConfirmRatio {@code confirmed / holds}
 * @param durationSeconds from the first client's start to the last one's end
 * @param holdsPerSecond {@code holds / durationSeconds}
 * @param latencyMillis time of one hold and its confirm or release
 * @param invariants what the run proves
 * @param failures clients that failed
 * @param ok every invariant holds and every client finished
 */
record HoldLoadReport(String target, String sku, long quantity, int workers, String ttl, double confirmRatio,
		long initialStock, Long finalAvailable, Long finalReserved, long holds, long confirmed, long released,
		long expired, long refused, long busy, long unitsSold, double observedConfirmRatio, double durationSeconds,
		double holdsPerSecond, LoadReport.Latency latencyMillis, Invariants invariants, List<String> failures,
		boolean ok) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static HoldLoadReport of(HoldLoadOptions options, List<HoldLoad.Tally> tallies, long durationNanos,
			long[] finalStock, List<String> failures) {
		long confirmed = tallies.stream().mapToLong((tally) -> tally.confirmed).sum();
		long released = tallies.stream().mapToLong((tally) -> tally.released).sum();
		long expired = tallies.stream().mapToLong((tally) -> tally.expired).sum();
		long holds = confirmed + released + expired;
		long[] latencies = tallies.stream()
			.flatMapToLong((tally) -> Arrays.stream(tally.latencies.toArray()))
			.toArray();
		Long available = (finalStock != null) ? finalStock[0] : null;
		Long reserved = (finalStock != null) ? finalStock[1] : null;
		long sold = confirmed * options.quantity();
		Invariants invariants = new Invariants(available != null && sold + available + reserved == options.stock(),
				reserved != null && reserved == 0,
				available != null && available >= 0 && available < options.quantity());
		double seconds = durationNanos / 1e9;
		return new HoldLoadReport(options.target().uri(), options.sku(), options.quantity(), options.workers(),
				options.ttl().toString(), options.confirmRatio(), options.stock(), available, reserved, holds,
				confirmed, released, expired, tallies.stream().mapToLong((tally) -> tally.refused).sum(),
				tallies.stream().mapToLong((tally) -> tally.busy).sum(), sold,
				(holds > 0) ? round((double) confirmed / holds, 3) : 0, round(seconds, 3),
				(seconds > 0) ? round(holds / seconds, 1) : 0, LoadReport.Latency.ofNanos(latencies), invariants,
				List.copyOf(failures), invariants.allHold() && failures.isEmpty());
	}

	String toJson() {
		return JSON.writeValueAsString(this);
	}

	void print(PrintStream out) {
		out.println(line("%d clients held %s on %s: %,d units, %d per hold, ttl %s, confirm ratio %.2f", this.workers,
				this.sku, this.target, this.initialStock, this.quantity, this.ttl, this.confirmRatio));
		out.println(line(
				"%,d holds in %,.3f s (%,.1f holds/s): %,d confirmed (%.3f), %,d released, %,d expired, "
						+ "%,d refused at the end, %,d answers 503 tried again",
				this.holds, this.durationSeconds, this.holdsPerSecond, this.confirmed, this.observedConfirmRatio,
				this.released, this.expired, this.refused, this.busy));
		out.println(line("latency ms (a hold, then its confirm or release): p50 %.3f, p99 %.3f, max %.3f",
				this.latencyMillis.p50(), this.latencyMillis.p99(), this.latencyMillis.max()));
		String available = String.valueOf(this.finalAvailable);
		String reserved = String.valueOf(this.finalReserved);
		out.println(check("conservation", this.invariants.conservation(), "sold " + this.unitsSold + " + available "
				+ available + " + reserved " + reserved + " = initial " + this.initialStock));
		out.println(check("all ended", this.invariants.allEnded(), "reserved " + reserved + ": no hold left held"));
		out.println(check("drained", this.invariants.drained(),
				"available " + available + " < " + this.quantity + " per hold: the last holds did not fit"));
		this.failures.forEach((failure) -> out.println(failure));
		out.println(this.ok ? "OK" : "FAILED");
	}

	private static String check(String name, boolean holds, String what) {
		return line("%-16s %-4s %s", name, holds ? "ok" : "FAIL", what);
	}

	private static String line(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	private static double round(double value, int decimals) {
		double scale = Math.pow(10, decimals);
		return Math.round(value * scale) / scale;
	}

	/**
	 * @param conservation no unit was made or lost: {@code sold + available + reserved}
	 * is the initial stock, sold being the units of the holds confirmed
	 * @param allEnded no unit is left reserved: every hold was confirmed or released (or
	 * expired)
	 * @param drained the last holds did not fit because the stock was gone:
	 * {@code available < quantity}
	 */
	record Invariants(boolean conservation, boolean allEnded, boolean drained) {

		boolean allHold() {
			return this.conservation && this.allEnded && this.drained;
		}

	}

}
