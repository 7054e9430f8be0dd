package io.stockservice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.stockservice.fixture.ChildProcess;
import io.stockservice.fixture.ExternalTools;
import io.stockservice.fixture.PrometheusServer;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack's shape without Docker, to show that its retries panel moves: two
 * instances of the service on one real Redis (compose's two replicas), a real Prometheus
 * with compose's own scrape configuration (only the addresses changed), and the load
 * generator's worker JVMs spread over both instances, round after round, as compose's
 * {@code load} profile runs it. The dashboard's conflicts panel, its query read from the
 * dashboard JSON, must show retries within a minute and a half, for both instances
 * together and for each one. One instance alone would show none: request combining keeps
 * an instance from conflicting with itself.
 */
class RetriesAcrossInstancesDashboardTests {

	static final String PANEL = "Conflicts (retries) per second";

	static final Path DATASOURCE = Path.of("monitoring/grafana/provisioning/datasources/prometheus.yml");

	static final Duration WITHIN = Duration.ofSeconds(90);

	/** As compose sets it: the dashboard's SKU variable offers the SKU under load. */
	static final String LEVEL_SKUS = "stock.metrics.level-skus=flash-sale,count";

	@BeforeAll
	static void prometheusIsInstalled() {
		ExternalTools.require("prometheus");
	}

	@Test
	void theConflictsPanelShowsRetriesOfEachInstanceWhileTheLoadGeneratorDrivesBoth() throws Exception {
		JsonNode dashboard = JsonMapper.builder().build().readTree(DashboardQueriesTests.DASHBOARD.toFile());
		String query = panelQuery(dashboard);
		int prometheusPort = RedisServerProcess.freePort();
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService first = RunningService.on(redis, LEVEL_SKUS);
				RunningService second = RunningService.on(redis, LEVEL_SKUS);
				PrometheusServer prometheus = PrometheusServer
					.withConfig(
							ScrapeConfig.read()
								.withAddresses(Map.of("stock-service:8080", address(first), "stock-service-2:8080",
										address(second), "localhost:9090", "127.0.0.1:" + prometheusPort)),
							prometheusPort);
				LoadRounds load = new LoadRounds(first, second)) {
			List<JsonNode> up = prometheus.query("up{job=\"" + PrometheusServer.JOB + "\"} == 1");
			long deadline = System.nanoTime() + WITHIN.toNanos();
			Map<String, Double> conflicts = Map.of();
			while (System.nanoTime() < deadline
					&& !(conflicts.size() == 3 && conflicts.values().stream().allMatch((rate) -> rate > 0))) {
				load.keepGoing();
				Thread.sleep(2000);
				up = prometheus.query("up{job=\"" + PrometheusServer.JOB + "\"} == 1");
				conflicts = conflictRates(dashboard, prometheus, query, up);
				System.out.printf("retries panel | %s%n", conflicts);
			}

			assertThat(up).as("both instances scraped, each as an instance of its own")
				.extracting((series) -> series.path("metric").path("instance").asString())
				.containsExactlyInAnyOrder(address(first), address(second));
			assertThat(conflicts)
				.as("conflicts per second, as the panel shows them, within " + WITHIN + ":\n" + load.lastOutput())
				.hasSize(3)
				.allSatisfy((instance, rate) -> assertThat(rate).as(instance).isPositive());
		}
	}

	/**
	 * The panel's value for all instances ({@code $instance} = All) and for each one, at
	 * Grafana's {@code $__rate_interval}.
	 */
	private static Map<String, Double> conflictRates(JsonNode dashboard, PrometheusServer prometheus, String query,
			List<JsonNode> up) throws Exception {
		if (prometheus.labelValues("application", "stock_reduce_requests_total").isEmpty()) {
			// No reduction scraped yet: the dashboard's variables have nothing to choose.
			return Map.of();
		}
		Map<String, String> variables = DashboardQueriesTests.chooseVariables(dashboard, prometheus);
		variables.put("__rate_interval", rateInterval());
		List<String> instances = new ArrayList<>(List.of(variables.get("instance")));
		up.forEach((series) -> instances.add(series.path("metric").path("instance").asString()));
		Map<String, Double> rates = new LinkedHashMap<>();
		for (String instance : instances) {
			variables.put("instance", instance);
			List<JsonNode> result = prometheus.query(DashboardQueriesTests.substitute(query, variables));
			rates.put(instance,
					result.stream()
						.mapToDouble((series) -> Double.parseDouble(series.path("value").get(1).asString()))
						.sum());
		}
		return rates;
	}

	private static String panelQuery(JsonNode dashboard) {
		List<JsonNode> panels = DashboardQueriesTests.panels(dashboard)
			.stream()
			.filter((panel) -> panel.path("title").asString().equals(PANEL))
			.toList();
		assertThat(panels).as("the panel " + PANEL + " in " + DashboardQueriesTests.DASHBOARD).hasSize(1);
		JsonNode targets = panels.get(0).path("targets");
		assertThat(targets).as("queries of " + PANEL).hasSize(1);
		return targets.get(0).path("expr").asString();
	}

	/**
	 * Grafana's {@code $__rate_interval} for a dashboard whose step is shorter than the
	 * scrape interval: four scrape intervals, the one the Grafana data source declares.
	 */
	@SuppressWarnings("unchecked")
	private static String rateInterval() throws Exception {
		Map<String, Object> provisioning = new Yaml().load(Files.readString(DATASOURCE));
		Map<String, Object> source = ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);
		Duration scrape = DurationStyle
			.detectAndParse(String.valueOf(((Map<String, Object>) source.get("jsonData")).get("timeInterval")));
		return scrape.multipliedBy(4).toSeconds() + "s";
	}

	private static String address(RunningService service) {
		return "127.0.0.1:" + service.uri().getPort();
	}

	/**
	 * The load generator in a JVM of its own, its worker JVMs spread over both instances,
	 * started again when a round ends, as compose's {@code load} profile loops it; at
	 * most a few rounds, each bounded by its {@code --timeout}.
	 */
	static final class LoadRounds implements AutoCloseable {

		private static final int MAX_ROUNDS = 4;

		private final List<String> command;

		private ChildProcess round;

		private int rounds;

		private String lastOutput = "";

		LoadRounds(RunningService first, RunningService second) {
			this.command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					System.getProperty("java.class.path"), "io.stockservice.loadgen.LoadGenerator", "loadgen",
					"--target", first.uri() + "," + second.uri(), "--workers", "4", "--stock", "4000", "--sku",
					"flash-sale", "--timeout", "60s");
			keepGoing();
		}

		void keepGoing() {
			if (this.round != null && !this.round.isAlive()) {
				this.lastOutput = this.round.tail();
				this.round = null;
			}
			if (this.round == null && this.rounds < MAX_ROUNDS) {
				this.rounds++;
				this.round = ChildProcess.start(this.command, Path.of("."), Map.of());
			}
		}

		String lastOutput() {
			return (this.round != null) ? this.round.tail() : this.lastOutput;
		}

		@Override
		public void close() {
			if (this.round != null) {
				this.round.close();
			}
		}

	}

}
