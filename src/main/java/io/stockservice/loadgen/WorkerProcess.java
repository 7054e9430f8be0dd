package io.stockservice.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One started worker JVM. Both of its output streams are drained at all times, else a
 * full pipe would block it: standard output into protocol events on the coordinator's
 * queue, standard error (its log) into a tail of the last lines, shown when it fails.
 */
final class WorkerProcess {

	private static final int TAIL_LINES = 40;

	private final int index;

	private final Process process;

	private final Writer stdin;

	private final Deque<String> tail = new ArrayDeque<>();

	private WorkerProcess(int index, Process process) {
		this.index = index;
		this.process = process;
		this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
	}

	/**
	 * Starts worker {@code index}; its events, ending with {@link WorkerEvent.Exited},
	 * arrive on {@code events}.
	 */
	static WorkerProcess start(int index, List<String> command, BlockingQueue<WorkerEvent> events) throws IOException {
		WorkerProcess worker = new WorkerProcess(index, new ProcessBuilder(command).start());
		Thread log = worker.drain("err", worker.process.getErrorStream(), worker::keep);
		Thread out = worker.drain("out", worker.process.getInputStream(), (line) -> {
			WorkerEvent event = WorkerProtocol.parse(index, line);
			if (event != null) {
				events.add(event);
			}
			else {
				worker.keep(line);
			}
		});
		Thread exit = new Thread(() -> events.add(new WorkerEvent.Exited(index, worker.awaitExit(out, log))),
				"loadgen-worker-" + index + "-exit");
		exit.setDaemon(true);
		exit.start();
		return worker;
	}

	int index() {
		return this.index;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Sends a protocol command; a worker that is gone will be reported by its exit. */
	void send(String command) {
		try {
			this.stdin.write(command + "\n");
			this.stdin.flush();
		}
		catch (IOException ex) {
			// The process has ended; its Exited event says how.
		}
	}

	/** Ends the process at once, without waiting. */
	void destroy() {
		this.process.destroyForcibly();
	}

	/** Waits, at most {@code bound}, for the process to be gone. */
	void awaitGone(Duration bound) {
		try {
			this.process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The last lines the worker printed that were not protocol lines. */
	String logTail() {
		synchronized (this.tail) {
			return String.join("\n", this.tail);
		}
	}

	private void keep(String line) {
		synchronized (this.tail) {
			if (this.tail.size() == TAIL_LINES) {
				this.tail.removeFirst();
			}
			this.tail.addLast(line);
		}
	}

	private int awaitExit(Thread out, Thread log) {
		try {
			int status = this.process.waitFor();
			// Every event the worker sent comes before its exit, and its last words are
			// in the tail before anyone reads it.
			out.join(5000);
			log.join(1000);
			return status;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private Thread drain(String name, InputStream stream, Consumer<String> lines) {
		Thread thread = new Thread(() -> {
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				for (String line; (line = reader.readLine()) != null;) {
					lines.accept(line);
				}
			}
			catch (IOException ex) {
				// The process ended.
			}
		}, "loadgen-worker-" + this.index + "-" + name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
