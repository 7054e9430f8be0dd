package io.stockservice.deploy;

import io.stockservice.fixture.ExternalTools;
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

	@Test
	void yamllintFindsNothingInTheDeploymentFiles() {
		ExternalTools
			.run("yamllint", "--strict", "--config-file", ".yamllint.yaml", "docker-compose.yml", "monitoring",
					"helm/stock-service/values.yaml", "helm/stock-service/Chart.yaml", "helm/stock-service/ci")
			.assertSucceeded();
	}

}
