package io.stockservice.loadgen;

/**
 * The coordinator's running account of one worker, kept by the one thread that reads the
 * events.
 */
final class WorkerTally {

	private final WorkerProcess process;

	private final Target target;

	private final LongSamples remainders = new LongSamples();

	private final LongSamples latencies = new LongSamples();

	private long conflicts;

	private long attempts;

	private long resent;

	private long replays;

	private boolean ready;

	private boolean done;

	private boolean failed;

	private Integer exitStatus;

	private String error;

	WorkerTally(WorkerProcess process, Target target) {
		this.process = process;
		this.target = target;
	}

	WorkerProcess process() {
		return this.process;
	}

	void add(Sale sale, long nanos) {
		this.attempts += sale.attempts();
		this.conflicts += sale.conflicts();
		this.resent += sale.resent();
		this.replays += sale.replayed() ? 1 : 0;
		if (sale instanceof Sale.Sold sold) {
			this.remainders.add(sold.available());
			this.latencies.add(nanos);
		}
	}

	boolean ready() {
		return this.ready;
	}

	void markReady() {
		this.ready = true;
	}

	boolean done() {
		return this.done;
	}

	void markDone() {
		this.done = true;
	}

	boolean failed() {
		return this.failed;
	}

	void markFailed() {
		this.failed = true;
	}

	boolean exited() {
		return this.exitStatus != null;
	}

	void exited(int status) {
		this.exitStatus = status;
	}

	void error(String message) {
		this.error = message;
	}

	/** Why this worker's exit is a failure, or {@code null} if it is not one. */
	String exitFailure() {
		if (this.error != null) {
			return "gave up: " + this.error;
		}
		if (!this.ready) {
			return "exited with status " + this.exitStatus + " before it was ready";
		}
		if (!this.done) {
			return "exited with status " + this.exitStatus + " before finishing";
		}
		return (this.exitStatus != 0) ? "exited with status " + this.exitStatus : null;
	}

	WorkerResult result() {
		return new WorkerResult(this.process.pid(), this.target.uri(), this.remainders.toArray(),
				this.latencies.toArray(), this.conflicts, this.attempts, this.resent, this.replays);
	}

}
