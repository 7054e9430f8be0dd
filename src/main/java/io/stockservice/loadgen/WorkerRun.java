package io.stockservice.loadgen;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.stockservice.stock.Deadline;

/**
 * Starts the worker processes, releases them together once every one is ready, and
 * follows them to the end, on one thread that reads every worker's events from one queue.
 * <p>
 * The run is bounded: a worker that exits before finishing (or gives up) is reported and
 * the others are told to stop; when the deadline passes, every unfinished worker is
 * reported and told to stop; a worker that has not stopped {@link #STOP_GRACE} after
 * being told is killed.
 */
final class WorkerRun {

	static final Duration STOP_GRACE = Duration.ofSeconds(3);

	private static final long TICK_MILLIS = 100;

	private final LoadOptions options;

	private final WorkerLauncher launcher;

	private final LiveOutput live;

	private final BlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();

	private final List<WorkerTally> workers = new ArrayList<>();

	private final List<LoadReport.Failure> failures = new ArrayList<>();

	private final SecondBuckets perSecond = new SecondBuckets();

	private long successes;

	private long conflicts;

	private long releasedAt;

	private long lastDoneAt;

	private Deadline stopDeadline;

	WorkerRun(LoadOptions options, WorkerLauncher launcher, LiveOutput live) {
		this.options = options;
		this.launcher = launcher;
		this.live = live;
	}

	RunResult run(Deadline deadline) throws InterruptedException {
		try {
			start();
			while (!allExited()) {
				WorkerEvent event = this.events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
				if (event != null) {
					handle(event);
				}
				if (this.releasedAt == 0 && this.stopDeadline == null
						&& this.workers.stream().allMatch(WorkerTally::ready)) {
					release();
				}
				if (this.stopDeadline == null && deadline.expired()) {
					timedOut();
				}
				if (this.stopDeadline != null && this.stopDeadline.expired()) {
					break;
				}
				if (this.releasedAt != 0) {
					this.live.progress(System.nanoTime() - this.releasedAt,
							this.options.stock() - this.successes * this.options.quantity(), this.successes,
							this.conflicts);
				}
			}
		}
		finally {
			killUnfinished();
			this.live.finish();
		}
		long duration = (this.releasedAt != 0 && this.lastDoneAt != 0) ? this.lastDoneAt - this.releasedAt : 0;
		return new RunResult(this.workers.stream().map(WorkerTally::result).toList(), duration,
				this.perSecond.toPerSecond(duration), List.copyOf(this.failures));
	}

	private void start() {
		for (int index = 1; index <= this.options.workers(); index++) {
			List<String> command = this.launcher.command(this.options.worker(index));
			try {
				this.workers.add(new WorkerTally(WorkerProcess.start(index, command, this.events),
						this.options.targetOf(index)));
			}
			catch (IOException ex) {
				this.failures.add(new LoadReport.Failure(index, 0, "could not be started: " + ex.getMessage(), ""));
				stopAll();
				return;
			}
		}
	}

	private void handle(WorkerEvent event) {
		WorkerTally worker = this.workers.get(event.worker() - 1);
		if (event instanceof WorkerEvent.Ready) {
			worker.markReady();
		}
		else if (event instanceof WorkerEvent.Reported reported) {
			Sale sale = reported.sale();
			worker.add(sale, reported.nanos());
			this.conflicts += sale.conflicts();
			long sold = (sale instanceof Sale.Sold) ? 1 : 0;
			this.successes += sold;
			this.perSecond.add(System.nanoTime() - this.releasedAt, sold, sale.conflicts());
			this.live.sale(event.worker(), worker.process().pid(), sale);
		}
		else if (event instanceof WorkerEvent.Done) {
			worker.markDone();
			this.lastDoneAt = System.nanoTime();
		}
		else if (event instanceof WorkerEvent.Failed failed) {
			worker.error(failed.message());
		}
		else if (event instanceof WorkerEvent.Exited exited) {
			worker.exited(exited.status());
			String failure = worker.exitFailure();
			if (failure != null) {
				fail(worker, failure);
			}
		}
	}

	/** Every worker connected: start the race, so that JVM start-up is not in it. */
	private void release() {
		this.releasedAt = System.nanoTime();
		this.workers.forEach((worker) -> worker.process().send(WorkerProtocol.GO));
	}

	private void timedOut() {
		for (WorkerTally worker : this.workers) {
			if (!worker.exited() && !worker.failed()) {
				String what = worker.done() ? "did not exit" : worker.ready() ? "did not finish" : "was not ready";
				fail(worker, what + " within the run's bound of " + this.options.timeout().toSeconds() + " s");
			}
		}
	}

	private void fail(WorkerTally worker, String reason) {
		worker.markFailed();
		this.failures.add(new LoadReport.Failure(worker.process().index(), worker.process().pid(), reason,
				worker.process().logTail()));
		stopAll();
	}

	/** Tells every worker still running to finish its call in flight and stop. */
	private void stopAll() {
		if (this.stopDeadline != null) {
			return;
		}
		this.stopDeadline = Deadline.after(STOP_GRACE);
		this.workers.stream()
			.filter((worker) -> !worker.exited())
			.forEach((worker) -> worker.process().send(WorkerProtocol.STOP));
	}

	private void killUnfinished() {
		List<WorkerTally> unfinished = this.workers.stream().filter((worker) -> !worker.exited()).toList();
		for (WorkerTally worker : unfinished) {
			if (!worker.failed() && worker.process().isAlive()) {
				fail(worker, "did not stop within " + STOP_GRACE.toSeconds() + " s of being told to; killed");
			}
			worker.process().destroy();
		}
		unfinished.forEach((worker) -> worker.process().awaitGone(Duration.ofSeconds(2)));
	}

	private boolean allExited() {
		return this.workers.stream().allMatch(WorkerTally::exited);
	}

}
