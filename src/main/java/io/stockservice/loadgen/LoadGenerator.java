package io.stockservice.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import io.stockservice.loadgen.Arguments.UsageException;

/**
 * The load generator's entry point, without Spring: {@code loadgen [options]} runs a race
 * (see {@link LoadOptions#USAGE}), {@code loadgen-worker} is one of its worker processes.
 */
public final class LoadGenerator {

	static final String COMMAND = "loadgen";

	static final String WORKER_COMMAND = "loadgen-worker";

	/**
	 * Keeps library logs (Lettuce, Netty) at WARN on standard error: without Spring Boot
	 * to configure Logback, it would log at DEBUG on standard output.
	 */
	private static final String LOGGING = "io/stockservice/loadgen/logback-loadgen.xml";

	private LoadGenerator() {
	}

	/** Whether the arguments ask for the load generator rather than the service. */
	public static boolean handles(String[] args) {
		return args.length > 0 && (COMMAND.equals(args[0]) || WORKER_COMMAND.equals(args[0]));
	}

	public static void main(String[] args) {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", LOGGING);
		}
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		System.exit(WORKER_COMMAND.equals(args[0]) ? WorkerMain.run(rest) : coordinate(rest));
	}

	static int coordinate(List<String> args) {
		if (args.contains("--help") || args.contains("-h")) {
			System.out.print(LoadOptions.USAGE + HoldLoadOptions.USAGE);
			return 0;
		}
		if (HoldLoadOptions.requested(args)) {
			return HoldLoadRun.run(args);
		}
		LoadOptions options;
		try {
			options = LoadOptions.parse(HoldLoadOptions.reduceArguments(args), System.getenv());
		}
		catch (UsageException ex) {
			System.err.println("loadgen: " + ex.getMessage() + "\nRun with --help for the options.");
			return 2;
		}
		try (EmbeddedRedis redis = options.embeddedRedis() ? EmbeddedRedis.start() : null) {
			LoadOptions run = (redis != null) ? options.withTarget(redis.target()) : options;
			LoadReport report = new Coordinator(run, WorkerLauncher.forThisJvm(), System.out, System.err).run();
			Summary.print(report, System.out);
			if (options.report() != null) {
				Files.writeString(options.report(), report.toJson() + "\n");
			}
			if (options.html() != null) {
				Files.writeString(options.html(), HtmlReport.render(report));
			}
			return report.ok() ? 0 : 1;
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("loadgen: " + explain(ex));
			return 1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 1;
		}
	}

	/** The message and the causes' messages that add to it, on one line. */
	private static String explain(Throwable ex) {
		StringBuilder text = new StringBuilder(String.valueOf(ex.getMessage()));
		for (Throwable cause = ex.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
				text.append(": ").append(cause.getMessage());
			}
		}
		return text.toString();
	}

}
