package io.stockservice.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.stockservice.fixture.ExternalTools;
import io.stockservice.fixture.PrometheusServer;
import io.stockservice.fixture.RealRedisConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard runs for real: the service on a real Redis under contended load, a real
 * Prometheus scraping it every second, and every PromQL expression of every panel of the
 * dashboard JSON (after its variable queries chose their values from what Prometheus
 * holds) evaluated through Prometheus's HTTP API. A query that returns no series is a
 * panel that would stay empty in Grafana: a misspelt metric, a tag that does not exist, a
 * meter that is never registered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stock.metrics.level-skus=" + DashboardQueriesTests.HOT)
@Import(RealRedisConfiguration.class)
class DashboardQueriesTests {

	static final Path DASHBOARD = Path.of("helm/stock-service/dashboards/stock-service.json");

	static final String HOT = "hot";

	/**
	 * What Grafana makes of $__rate_interval at a 1 s scrape interval is 4 s; a little
	 * more keeps several samples in every window on a busy machine.
	 */
	static final String RATE_INTERVAL = "10s";

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

	@LocalServerPort
	int port;

	final TestRedis redis = TestRedis.shared();

	@BeforeAll
	static void prometheusIsInstalled() {
		ExternalTools.require("prometheus");
	}

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	@Test
	void everyPanelQueryReturnsSeriesWhileARealPrometheusScrapesTheServiceUnderContention() {
		this.redis.commands().set("stock:" + HOT, "100000000");
		this.redis.commands().set("stock:scarce", "1");
		JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
		RedisClient rivalClient = RedisClient.create(this.redis.uri());
		try (StatefulRedisConnection<String, String> rival = rivalClient.connect();
				ContendedLoad load = ContendedLoad.start(this.port, HOT, rival);
				PrometheusServer prometheus = PrometheusServer.scraping("127.0.0.1:" + this.port,
						"/actuator/prometheus")) {
			prometheus.awaitScrapes(15, Duration.ofSeconds(90));
			Map<String, String> variables = chooseVariables(dashboard, prometheus);
			List<String> empty = new ArrayList<>();
			for (JsonNode panel : panels(dashboard)) {
				String title = substitute(panel.path("title").asString(), variables);
				for (JsonNode target : panel.path("targets")) {
					String promql = substitute(target.path("expr").asString(), variables);
					List<JsonNode> result = prometheus.query(promql);
					int series = result.size();
					String sample = result.isEmpty() ? "-" : result.get(0).path("value").get(1).asString();
					System.out.printf("dashboard panel | %s | %s | %d series (first: %s)%n", title, promql, series,
							sample);
					if (series == 0) {
						empty.add(title + ": " + promql);
					}
				}
			}
			assertThat(empty).as("dashboard queries that returned no series").isEmpty();
			assertThat(prometheus.query("sum(stock_reduce_conflicts_total) > 0"))
				.as("the load made concurrent reductions conflict")
				.isNotEmpty();
			assertThat(prometheus.query("sum by (outcome) (stock_reduce_requests_total) > 0"))
				.as("successes, 409 insufficient and 404 unknown SKU")
				.hasSizeGreaterThanOrEqualTo(3);
		}
		finally {
			rivalClient.shutdown();
		}
	}

	static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			// A collapsed row keeps its panels inside it.
			panel.path("panels").forEach(panels::add);
		}
		assertThat(panels).as("panels of " + DASHBOARD).isNotEmpty();
		return panels;
	}

	/**
	 * Runs each variable's {@code label_values} query in order, as Grafana does, and
	 * takes its first value (or "All", if offered): a query that finds no value fails the
	 * test.
	 */
	static Map<String, String> chooseVariables(JsonNode dashboard, PrometheusServer prometheus) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("__rate_interval", RATE_INTERVAL);
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			String name = variable.path("name").asString();
			String type = variable.path("type").asString();
			if (type.equals("datasource")) {
				continue;
			}
			assertThat(type).as("type of variable " + name).isEqualTo("query");
			JsonNode query = variable.path("query");
			String definition = substitute(query.isObject() ? query.path("query").asString() : query.asString(),
					variables);
			Matcher labelValues = LABEL_VALUES.matcher(definition);
			assertThat(labelValues.matches()).as("variable " + name + " is label_values(selector, label)").isTrue();
			List<String> values = prometheus.labelValues(labelValues.group(2), labelValues.group(1));
			System.out.printf("dashboard variable | %s | %s | %s%n", name, definition, values);
			assertThat(values).as("values of variable " + name + " from " + definition).isNotEmpty();
			variables.put(name,
					variable.path("includeAll").asBoolean() ? variable.path("allValue").asString() : values.get(0));
		}
		return variables;
	}

	static String substitute(String text, Map<String, String> variables) {
		Matcher matcher = VARIABLE.matcher(text);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String name = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
			String value = variables.get(name);
			assertThat(value).as("value of $" + name + " in " + text).isNotNull();
			matcher.appendReplacement(result, Matcher.quoteReplacement(value));
		}
		return matcher.appendTail(result).toString();
	}

}
