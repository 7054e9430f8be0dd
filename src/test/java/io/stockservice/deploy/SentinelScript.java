package io.stockservice.deploy;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell script a sentinel service of {@code docker-compose.ha.yml} runs
 * ({@code /bin/sh -c <script>}): it writes the sentinel's configuration file with a
 * here-document, then starts the sentinel on it.
 *
 * @param text the script, as the container's shell reads it
 */
record SentinelScript(String text) {

	private static final String HERE_DOCUMENT = "cat > sentinel.conf <<EOF\n";

	static SentinelScript of(ComposeConfig compose, String service) {
		List<String> command = compose.command(service);
		assertThat(command.subList(0, 2)).as("the command of " + service).containsExactly("/bin/sh", "-c");
		return new SentinelScript(command.get(2));
	}

	/** The here-document: the configuration, before the shell expands its variables. */
	String configuration() {
		int start = this.text.indexOf(HERE_DOCUMENT);
		assertThat(start).as("a here-document in " + this.text).isNotNegative();
		int end = this.text.indexOf("\nEOF\n", start);
		return this.text.substring(start + HERE_DOCUMENT.length(), end + 1);
	}

}
