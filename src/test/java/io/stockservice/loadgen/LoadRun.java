package io.stockservice.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The load generator run from a test of another package, as {@code loadgen} runs from the
 * command line (worker JVMs included), with what it printed and proved.
 */
public final class LoadRun {

	private LoadRun() {
	}

	/**
	 * Starts a run in the background.
	 * @param args the command line after {@code loadgen}
	 * @return the run's result, when it ends
	 */
	public static CompletableFuture<Result> start(String... args) {
		LoadOptions options = LoadOptions.parse(List.of(args), Map.of());
		return CompletableFuture.supplyAsync(() -> run(options));
	}

	private static Result run(LoadOptions options) {
		try {
			LoadReport report = new Coordinator(options, WorkerLauncher.forThisJvm(),
					new PrintStream(OutputStream.nullOutputStream()), System.err)
				.run();
			ByteArrayOutputStream summary = new ByteArrayOutputStream();
			Summary.print(report, new PrintStream(summary, true, StandardCharsets.UTF_8));
			return new Result(report.ok(), report.invariants().exactlyOnce(), report.successes(), report.finalStock(),
					report.resent(), summary.toString(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * How a run ended.
	 *
	 * @param ok every invariant held and every worker finished: the exit status 0
	 * @param exactlyOnce with {@code --idempotent}: the units acknowledged are exactly
	 * the units the stock lost, each remainder acknowledged once
	 * @param successes reductions acknowledged
	 * @param finalStock the stock after the run, or {@code null} if it could not be read
	 * @param resent requests sent again with their key after a 503 or a timeout
	 * @param summary what {@code loadgen} printed
	 */
	public record Result(boolean ok, Boolean exactlyOnce, long successes, Long finalStock, long resent,
			String summary) {
	}

}
