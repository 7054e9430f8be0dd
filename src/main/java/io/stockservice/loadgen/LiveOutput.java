package io.stockservice.loadgen;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a run shows while it lasts: with {@code --print}, a line per decrement and per
 * conflict, as the article's clients print them; otherwise, on a terminal, a progress
 * line on standard error once the run has lasted a second. Only the coordinator's event
 * thread calls it, so lines from different workers never interleave.
 */
final class LiveOutput {

	private static final long PROGRESS_AFTER = TimeUnit.SECONDS.toNanos(1);

	private static final long PROGRESS_EVERY = TimeUnit.MILLISECONDS.toNanos(250);

	private final PrintStream out;

	private final PrintStream err;

	private final boolean print;

	private final boolean progress;

	private long lastProgress;

	private int progressWidth;

	LiveOutput(PrintStream out, PrintStream err, boolean print, boolean progress) {
		this.out = out;
		this.err = err;
		this.print = print;
		this.progress = progress;
	}

	/** Per-sale lines with {@code --print}; a progress line only on a terminal. */
	static LiveOutput of(LoadOptions options, PrintStream out, PrintStream err) {
		return new LiveOutput(out, err, options.print(), !options.print() && onTerminal());
	}

	void sale(int worker, long pid, Sale sale) {
		if (!this.print) {
			return;
		}
		String who = String.format(Locale.ROOT, "worker %2d (pid %d): ", worker, pid);
		for (long i = 0; i < sale.conflicts(); i++) {
			this.out.println(who + "conflict, another client changed the stock first");
		}
		if (sale instanceof Sale.Sold sold) {
			this.out.println(who + sold.available() + " left");
		}
		else if (sale instanceof Sale.SoldOut soldOut) {
			this.out.println(who + "sold out (" + soldOut.available() + " left)");
		}
		else {
			this.out.println(who + "gave up after " + sale.attempts() + " attempts; trying again");
		}
	}

	void progress(long elapsedNanos, long remaining, long successes, long conflicts) {
		long now = System.nanoTime();
		if (!this.progress || elapsedNanos < PROGRESS_AFTER || now - this.lastProgress < PROGRESS_EVERY) {
			return;
		}
		this.lastProgress = now;
		String line = String.format(Locale.ROOT, "%,d left, %,.0f decrements/s, %,d conflicts", remaining,
				successes / (elapsedNanos / 1e9), conflicts);
		this.err.print("\r" + line + " ".repeat(Math.max(0, this.progressWidth - line.length())));
		this.err.flush();
		this.progressWidth = line.length();
	}

	/** Clears the progress line, if one is shown. */
	void finish() {
		if (this.progressWidth > 0) {
			this.err.print("\r" + " ".repeat(this.progressWidth) + "\r");
			this.err.flush();
			this.progressWidth = 0;
		}
	}

	/**
	 * Java 22 and newer return a console even when the output is not a terminal, and tell
	 * with {@code isTerminal()}; before that a console means a terminal.
	 */
	private static boolean onTerminal() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			Method isTerminal = Console.class.getMethod("isTerminal");
			return (boolean) isTerminal.invoke(console);
		}
		catch (NoSuchMethodException ex) {
			return true;
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

}
