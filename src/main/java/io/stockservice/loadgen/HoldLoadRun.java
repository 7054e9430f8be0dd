package io.stockservice.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import io.stockservice.loadgen.Arguments.UsageException;

/** {@code loadgen --mode hold} from its arguments to its exit status. */
final class HoldLoadRun {

	private HoldLoadRun() {
	}

	/**
	 * @return 0 when every invariant holds, 1 when not, 2 for a usage error
	 */
	static int run(List<String> args) {
		HoldLoadOptions options;
		try {
			options = HoldLoadOptions.parse(args, System.getenv());
		}
		catch (UsageException ex) {
			System.err.println("loadgen: " + ex.getMessage() + "\nRun with --help for the options.");
			return 2;
		}
		try {
			HoldLoadReport report = new HoldLoad(options, System.err).run();
			report.print(System.out);
			if (options.report() != null) {
				Files.writeString(options.report(), report.toJson() + "\n");
			}
			return report.ok() ? 0 : 1;
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("loadgen: " + ex.getMessage());
			return 1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 1;
		}
	}

}
