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
		assertThat(container.env("SPRING_DATA_REDIS_SENTINEL_USERNAME").at("value")).isEqualTo("sentinel-user");
		assertThat(container.env("SPRING_DATA_REDIS_SENTINEL_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "redis-credentials", "key", "sentinel-password"));
		assertThat(container.env("SPRING_DATA_REDIS_SSL_ENABLED").at("value")).isEqualTo("true");
		assertThat(container.env("SPRING_DATA_REDIS_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "redis-credentials", "key", "password"));
		assertThat(container.env("STOCK_ADMIN_TOKEN").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "stock", "key", "admin-token"));
		assertThat(manifests.get("Secret", "stock").at("data.admin-token")).isEqualTo(base64("not-a-real-token"));
		assertThat(container.env("STOCK_REDIS_REPLICASTOACK").at("value")).isEqualTo("1");
		assertThat(container.env("STOCK_REDIS_ACCEPTEVICTION").at("value")).isEqualTo("true");
	}

	@Test
	void aStandaloneRedisIsReachedByHostAndPort() {
		Manifests.Node container = render().container();

		assertThat(container.env("SPRING_DATA_REDIS_HOST").at("value")).isEqualTo("redis");
		assertThat(container.env("SPRING_DATA_REDIS_PORT").at("value")).isEqualTo("6379");
		assertThat(container.env("SPRING_DATA_REDIS_DATABASE").at("value")).isEqualTo("0");
		assertThat(envNames(container)).noneMatch((name) -> name.contains("SENTINEL") || name.contains("CLUSTER"));
	}

	@Test
	void sentinelReplacesHostAndPortAndItsPasswordGivenInClearGoesIntoTheChartsSecret() {
		Manifests manifests = render("--set", "redis.sentinel.master=mymaster", "--set",
				"redis.sentinel.nodes={sentinel-0:26379,sentinel-1:26379,sentinel-2:26379}", "--set",
				"redis.sentinel.password.value=s3ntinel");
		Manifests.Node container = manifests.container();

		assertThat(container.env("SPRING_DATA_REDIS_SENTINEL_NODES").at("value"))
			.isEqualTo("sentinel-0:26379,sentinel-1:26379,sentinel-2:26379");
		assertThat(container.env("SPRING_DATA_REDIS_SENTINEL_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "sentinel-password"));
		assertThat(manifests.get("Secret", FULLNAME).at("data.sentinel-password")).isEqualTo(base64("s3ntinel"));
		assertThat(envNames(container)).doesNotContain("SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT",
				"SPRING_DATA_REDIS_SENTINEL_USERNAME", "SPRING_DATA_REDIS_PASSWORD", "SPRING_DATA_REDIS_CLUSTER_NODES");
	}

	@Test
	void aClusterIsReachedThroughItsSeedNodesWithTheDataNodesCredentials() {
		Manifests.Node container = render("--set", "redis.cluster.nodes={redis-0:6379,redis-1:6379}", "--set",
				"redis.password.existingSecret=redis-credentials")
			.container();

		assertThat(container.env("SPRING_DATA_REDIS_CLUSTER_NODES").at("value")).isEqualTo("redis-0:6379,redis-1:6379");
		assertThat(container.env("SPRING_DATA_REDIS_PASSWORD").at("valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "redis-credentials", "key", "redis-password"));
		assertThat(envNames(container)).as("a Cluster has one database, and no host to name")
			.doesNotContain("SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT", "SPRING_DATA_REDIS_DATABASE",
					"SPRING_DATA_REDIS_SENTINEL_MASTER");
	}

	@Test
	void theSchemaRefusesSentinelAndClusterAtOnceSentinelWithoutSentinelsAndAClustersDatabaseOtherThanZero() {
		assertThat(renderFailing("--set", "redis.sentinel.master=mymaster", "--set", "redis.sentinel.nodes={s:26379}",
				"--set", "redis.cluster.nodes={redis-0:6379}")
			.errors()).contains("/redis/cluster/nodes");
		assertThat(renderFailing("--set", "redis.sentinel.master=mymaster").errors()).contains("/redis/sentinel/nodes");
		assertThat(renderFailing("--set", "redis.cluster.nodes={redis-0:6379}", "--set", "redis.database=2").errors())
			.contains("/redis/database");
		assertThat(renderFailing("--set", "redis.cluster.nodes={redis-0}").errors()).contains("/redis/cluster/nodes");
	}

	@Test
	void replicasToAckIsTheServicesDefaultUnlessSetAndZeroIsAValue() {
		assertThat(envNames(render().container())).doesNotContain("STOCK_REDIS_REPLICASTOACK");
		assertThat(render("--set", "redis.replicasToAck=0").container().env("STOCK_REDIS_REPLICASTOACK").at("value"))
			.isEqualTo("0");
		assertThat(render("--set", "redis.replicasToAck=2").container().env("STOCK_REDIS_REPLICASTOACK").at("value"))
			.isEqualTo("2");
		assertThat(renderFailing("--set", "redis.replicasToAck=17").errors()).contains("/redis/replicasToAck");
		assertThat(renderFailing("--set", "redis.replicasToAck=-1").errors()).contains("/redis/replicasToAck");
	}

	@Test
	void evictionIsRefusedByTheServiceUnlessTheChartIsToldToAcceptIt() {
		assertThat(envNames(render().container())).doesNotContain("STOCK_REDIS_ACCEPTEVICTION");
		assertThat(
				render("--set", "redis.acceptEviction=true").container().env("STOCK_REDIS_ACCEPTEVICTION").at("value"))
			.isEqualTo("true");
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

	@Test
	void notesSayWhichRedisTheServiceUsesAndHowManyReplicasASaleWaitsFor() {
		assertThat(notes()).contains("Redis: redis:6379, standalone.")
			.contains("Sales do not wait for replicas to confirm them");
		assertThat(
				notes("--set", "redis.sentinel.master=mymaster", "--set", "redis.sentinel.nodes={s0:26379,s1:26379}"))
			.contains("Redis: master \"mymaster\" as 2 sentinel(s) report it.")
			.contains("A sale is answered once 1 replica(s) confirm it")
			.contains("redisReplication DEGRADED");
		assertThat(notes("--set", "redis.cluster.nodes={r0:6379}", "--set", "redis.replicasToAck=2"))
			.contains("Redis: a Redis Cluster reached through r0:6379.")
			.contains("A sale is answered once 2 replica(s) confirm it");
	}

	private static String notes(String... options) {
		List<String> arguments = new ArrayList<>(
				List.of("install", RELEASE, CHART, "--dry-run=client", "--set", "admin.token.value=t"));
		arguments.addAll(List.of(options));
		String output = ExternalTools.run("helm", arguments.toArray(String[]::new)).assertSucceeded().output();
		return output.substring(output.indexOf("NOTES:"));
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

	private static List<String> envNames(Manifests.Node container) {
		return ((List<?>) container.at("env")).stream()
			.map((variable) -> (String) new Manifests.Node(variable).at("name"))
			.toList();
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
