package io.stockservice.deploy;

import java.util.List;

import io.stockservice.fixture.ExternalTools;
import io.stockservice.fixture.PrometheusServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack's Prometheus configuration, checked by Prometheus's own
 * {@code promtool}, and every hand-written YAML file of the deployment by
 * {@code yamllint} with the project's {@code .yamllint.yaml}.
 */
class MonitoringConfigTests {

	@Test
	void promtoolAcceptsThePrometheusConfig() {
		assertThat(ExternalTools.run("promtool", "check", "config", "monitoring/prometheus/prometheus.yml")
			.assertSucceeded()
			.output()).contains("SUCCESS");
	}

	/**
	 * Prometheus labels each target with its address as {@code instance}: one target per
	 * replica is what lets the dashboard's {@code $instance} tell them apart, where one
	 * address in front of both would mix them into one series.
	 */
	@Test
	void theServicesJobHasSeveralTargetsSoEachReplicaGetsAnInstanceLabelOfItsOwn() {
		List<String> targets = ScrapeConfig.read().targets(PrometheusServer.JOB);

		assertThat(targets).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
	}

	@Test
	void yamllintFindsNothingInTheDeploymentFiles() {
		ExternalTools
			.run("yamllint", "--strict", "--config-file", ".yamllint.yaml", "docker-compose.yml",
					"docker-compose.ha.yml", "monitoring", "helm/stock-service/values.yaml",
					"helm/stock-service/Chart.yaml", "helm/stock-service/ci")
			.assertSucceeded();
	}

}
