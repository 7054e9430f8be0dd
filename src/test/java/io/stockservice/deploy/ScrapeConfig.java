package io.stockservice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack's Prometheus configuration,
 * {@code monitoring/prometheus/prometheus.yml}, read as YAML: its scrape targets, and the
 * same configuration with only the targets' addresses changed, for a Prometheus that
 * scrapes processes on this machine instead of compose's containers.
 */
final class ScrapeConfig {

	static final Path FILE = Path.of("monitoring/prometheus/prometheus.yml");

	private final String text;

	private ScrapeConfig(String text) {
		this.text = text;
	}

	static ScrapeConfig read() {
		try {
			return new ScrapeConfig(Files.readString(FILE));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The addresses the job scrapes, in order. */
	List<String> targets(String job) {
		List<String> targets = new ArrayList<>();
		staticConfigs(load(), job).forEach((config) -> targets.addAll(config.get("targets")));
		return targets;
	}

	/**
	 * @param addresses for every target address of the file, the one to scrape instead
	 * @return the configuration, everything else unchanged, as YAML
	 */
	@SuppressWarnings("unchecked")
	String withAddresses(Map<String, String> addresses) {
		Map<String, Object> config = load();
		for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
			for (Map<String, List<String>> staticConfig : staticConfigs(config, (String) job.get("job_name"))) {
				staticConfig.replaceAll((key, targets) -> key.equals("targets") ? targets.stream().map((target) -> {
					assertThat(addresses).as("where to scrape " + target + " of " + FILE).containsKey(target);
					return addresses.get(target);
				}).toList() : targets);
			}
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return new Yaml(options).dump(config);
	}

	private Map<String, Object> load() {
		return new Yaml().load(this.text);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, List<String>>> staticConfigs(Map<String, Object> config, String job) {
		return ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
			.filter((scrape) -> job.equals(scrape.get("job_name")))
			.findFirst()
			.map((scrape) -> (List<Map<String, List<String>>>) scrape.get("static_configs"))
			.orElseThrow(() -> new AssertionError("No job " + job + " in " + FILE));
	}

}
