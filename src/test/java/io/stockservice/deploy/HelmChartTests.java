package io.stockservice.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.stockservice.fixture.ChildProcess;
import io.stockservice.fixture.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart as Helm renders it ({@code helm lint --strict}, {@code helm template}), with
 * its default values and with {@code ci/all-options-values.yaml}, which turns every
 * option on; then what the rendered manifests promise: probes on the health groups, a
 * locked-down pod, secrets from the right place, and the one dashboard.
 */
class HelmChartTests {

	static final String CHART = "helm/stock-service";

	static final String ALL_OPTIONS = CHART + "/ci/all-options-values.yaml";

	static final String RELEASE = "stock";

	static final String FULLNAME = "stock-stock-service";

	static Manifests render(String... options) {
		List<String> arguments = new ArrayList<>(List.of("template", RELEASE, CHART));
		arguments.addAll(List.of(options));
		return new Manifests(ExternalTools.run("helm", arguments.toArray(String[]::new)).assertSucceeded().output());
	}

	static ChildProcess.Result renderFailing(String... options) {
		List<String> arguments = new ArrayList<>(List.of("template", RELEASE, CHART));
		arguments.addAll(List.of(options));
		return ExternalTools.run("helm", arguments.toArray(String[]::new)).assertFailed();
	}

	@Test
	void lintsStrictlyWithDefaultValues() {
		ExternalTools.run("helm", "lint", "--strict", CHART).assertSucceeded();
	}

	@Test
	void lintsStrictlyWithEveryOptionOn() {
		ExternalTools.run("helm", "lint", "--strict", CHART, "--values", ALL_OPTIONS).assertSucceeded();
	}

	@Test
	void defaultValuesRenderTheServiceWithoutTheOptionalObjects() {
		Manifests manifests = render();

		assertThat(manifests.kinds()).containsExactlyInAnyOrder("Deployment", "Service", "ServiceAccount",
				"PodDisruptionBudget", "ConfigMap");
		assertThat(manifests.get("Deployment", FULLNAME).at("spec.replicas")).isEqualTo(2);
	}

	@Test
	void probesUseTheActuatorHealthGroups() {
		Manifests.Node container = render().container();

		assertThat(container.at("livenessProbe.httpGet.path")).isEqualTo("/livez");
		assertThat(container.at("readinessProbe.httpGet.path")).isEqualTo("/readyz");
		assertThat(container.at("startupProbe.httpGet.path")).isEqualTo("/livez");
		assertThat(container.at("ports.0.containerPort")).isEqualTo(8080);
	}

	@Test
	void podsRunAsTheImagesNonRootUserOnAReadOnlyRootFilesystem() throws Exception {
		Manifests manifests = render();
		Manifests.Node pod = manifests.get("Deployment", FULLNAME).node("spec.template.spec");
		Manifests.Node container = manifests.container();

		assertThat(pod.at("securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat(Files.readString(Path.of("Dockerfile")))
			.contains("USER " + pod.at("securityContext.runAsUser") + ":" + pod.at("securityContext.runAsGroup"));
		assertThat(container.at("securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(container.at("securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(container.at("securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
		assertThat(container.at("volumeMounts.0.mountPath")).isEqualTo("/tmp");
	}

	@Test
	void theDashboardConfigMapCarriesTheDashboardFileForTheGrafanaSidecar() throws Exception {
		Manifests.Node configMap = render().get("ConfigMap", FULLNAME + "-dashboard");
		JsonMapper json = JsonMapper.builder().build();

		assertThat(configMap.at("metadata.labels.grafana_dashboard")).isEqualTo("1");
		assertThat(json.readTree((String) configMap.at("data.stock-service\\.json")))
			.isEqualTo(json.readTree(DashboardQueriesTests.DASHBOARD.toFile()));
	}

	@Test
	void everyOptionOnAddsAutoscalerServiceMonitorSecretAndConfig() {
		Manifests manifests = render("--values", ALL_OPTIONS);

		assertThat(manifests.kinds()).contains("HorizontalPodAutoscaler", "ServiceMonitor", "Secret");
		assertThat(manifests.get("Deployment", "stock").at("spec.replicas")).isNull();
		assertThat(manifests.get("ServiceMonitor", "stock").at("spec.endpoints.0.path"))
			.isEqualTo("/actuator/prometheus");
		assertThat((String) manifests.get("ConfigMap", "stock").at("data.application\\.yml")).contains("level-skus");
	}

	@Test
	void everyOptionOnConfiguresSentinelTlsAndSecretsFromBothSources() {
		Manifests manifests = render("--values", ALL_OPTIONS);
		Manifests.Node container = manifests.container();

		assertThat(container.env("SPRING_DATA_REDIS_SENTINEL_MASTER").at("value")).isEqualTo("mymaster");
		assertThat(container.env("SPRING_DATA_REDIS_SSL_ENABLED").at("value")).isEqualTo("true");
		assertThat(container.env("SPRING_DATA_REDIS_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "redis-credentials", "key", "password"));
		assertThat(container.env("STOCK_ADMIN_TOKEN").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "stock", "key", "admin-token"));
		assertThat(manifests.get("Secret", "stock").at("data.admin-token")).isEqualTo(base64("not-a-real-token"));
	}

	@Test
	void logsAreEcsJsonByDefaultAnotherStructuredFormatOrPlainTextOnRequest() {
		assertThat(render().container().env("LOGGING_STRUCTURED_FORMAT_CONSOLE").at("value")).isEqualTo("ecs");
		assertThat(render("--values", ALL_OPTIONS).container().env("LOGGING_STRUCTURED_FORMAT_CONSOLE").at("value"))
			.isEqualTo("logstash");
		assertThat((List<?>) render("--set", "logging.format=plain").container().at("env"))
			.noneMatch((variable) -> String.valueOf(variable).contains("LOGGING_STRUCTURED_FORMAT_CONSOLE"));
		assertThat(renderFailing("--set", "logging.format=json").errors()).contains("logging/format");
	}

	@Test
	void aRedisPasswordGivenInClearGoesIntoTheChartsSecret() {
		Manifests manifests = render("--set", "redis.password.value=s3cret");

		assertThat(manifests.get("Secret", FULLNAME).at("data.redis-password")).isEqualTo(base64("s3cret"));
		assertThat(manifests.container().env("SPRING_DATA_REDIS_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "redis-password"));
	}

	@Test
	void refusesRedisClusterAndSaysWhy() {
		assertThat(renderFailing("--set", "redis.cluster.nodes[0]=redis-0:6379").errors())
			.contains("does not support Redis Cluster");
	}

	@Test
	void theSchemaRefusesValuesOfTheWrongTypeAndUnknownKeys() {
		assertThat(renderFailing("--set", "replicaCount=two").errors()).contains("replicaCount");
		assertThat(renderFailing("--set", "redis.port=70000").errors()).contains("redis/port");
		assertThat(renderFailing("--set", "replicas=3").errors()).contains("replicas");
	}

	@Test
	void notesTellHowToCallTheServiceWithTheAdminToken() {
		String notes = ExternalTools
			.run("helm", "install", RELEASE, CHART, "--dry-run=client", "--set", "admin.token.value=t")
			.assertSucceeded()
			.output();

		assertThat(notes).contains("port-forward service/" + FULLNAME)
			.contains("Authorization: Bearer $TOKEN")
			.contains("POST localhost:18080/stock/reduce");
	}

	/**
	 * yamllint on what Kubernetes would receive: a key written twice (two
	 * {@code annotations:} blocks, say) is valid YAML that silently drops one of them.
	 */
	@Test
	void renderedManifestsHaveNoDuplicateKeys(@TempDir Path directory) throws Exception {
		Path defaults = Files.writeString(directory.resolve("defaults.yaml"), render().text());
		Path allOptions = Files.writeString(directory.resolve("all-options.yaml"),
				render("--values", ALL_OPTIONS).text());

		ExternalTools
			.run("yamllint", "--strict", "--config-data",
					"{extends: default, rules: {line-length: disable, document-start: disable,"
							+ " indentation: {indent-sequences: whatever}, comments: {min-spaces-from-content: 1}}}",
					defaults.toString(), allOptions.toString())
			.assertSucceeded();
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/** The documents {@code helm template} printed, found by kind and name. */
	record Manifests(String text) {

		List<Node> documents() {
			List<Node> documents = new ArrayList<>();
			for (Object document : new Yaml().loadAll(this.text)) {
				if (document != null) {
					documents.add(new Node(document));
				}
			}
			return documents;
		}

		List<String> kinds() {
			return documents().stream().map((document) -> (String) document.at("kind")).toList();
		}

		Node get(String kind, String name) {
			return documents().stream()
				.filter((document) -> kind.equals(document.at("kind")) && name.equals(document.at("metadata.name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No " + kind + " " + name + " in:\n" + this.text));
		}

		Node container() {
			return documents().stream()
				.filter((document) -> "Deployment".equals(document.at("kind")))
				.findFirst()
				.orElseThrow()
				.node("spec.template.spec.containers.0");
		}

		/**
		 * A part of a document, read by a dotted path: map keys, list indexes, and
		 * {@code \.} for a dot inside a key.
		 */
		record Node(Object value) {

			Object at(String path) {
				Object current = this.value;
				for (String step : path.split("(?<!\\\\)\\.")) {
					if (current instanceof Map<?, ?> map) {
						current = map.get(step.replace("\\.", "."));
					}
					else if (current instanceof List<?> list) {
						current = list.get(Integer.parseInt(step));
					}
					else {
						return null;
					}
				}
				return current;
			}

			Node node(String path) {
				return new Node(at(path));
			}

			Node env(String name) {
				return ((List<?>) at("env")).stream()
					.map(Node::new)
					.filter((variable) -> name.equals(variable.at("name")))
					.findFirst()
					.orElseThrow(() -> new AssertionError("No env " + name + " in " + this.value));
			}

		}

	}

}
