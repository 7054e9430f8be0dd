package io.stockservice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.stockservice.fixture.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} as Docker Compose itself reads it: Debian's
 * {@code docker-compose} parses, validates and resolves the file without an engine. Then
 * the wiring that no parser checks: who talks to whom, on which port, with which secret.
 */
class ComposeFileTests {

	static Map<String, Object> services;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void resolveTheFileWithTheLoadProfile() {
		ExternalTools.run("docker-compose", "--file", "docker-compose.yml", "--profile", "load", "config", "--quiet")
			.assertSucceeded();
		String resolved = ExternalTools
			.run("docker-compose", "--file", "docker-compose.yml", "--profile", "load", "config")
			.assertSucceeded()
			.output();
		services = (Map<String, Object>) new Yaml().<Map<String, Object>>load(resolved).get("services");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> service(String name) {
		assertThat(services).containsKey(name);
		return (Map<String, Object>) services.get(name);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> environment(String name) {
		return (Map<String, Object>) service(name).get("environment");
	}

	@SuppressWarnings("unchecked")
	static List<String> strings(String service, String key) {
		return (List<String>) service(service).get(key);
	}

	@Test
	void redisKeepsItsDataInAnAppendOnlyFileOnANamedVolume() {
		assertThat(String.join(" ", strings("redis", "command"))).contains("--appendonly yes");
		assertThat(strings("redis", "volumes")).anyMatch((volume) -> volume.startsWith("redis-data:/data"));
		assertThat(service("redis")).containsKey("healthcheck");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theServiceStartsOnceRedisIsHealthyAndIsToldWhereRedisIs() {
		Map<String, Object> dependsOn = (Map<String, Object>) service("stock-service").get("depends_on");

		assertThat(dependsOn.get("redis")).isEqualTo(Map.of("condition", "service_healthy"));
		assertThat(environment("stock-service")).containsEntry("SPRING_DATA_REDIS_HOST", "redis")
			.containsEntry("SPRING_DATA_REDIS_PORT", "6379");
	}

	/**
	 * The services that run the service's image by default (not in a profile): its
	 * replicas.
	 */
	@SuppressWarnings("unchecked")
	static List<String> replicas() {
		Object image = service("stock-service").get("image");
		return services.entrySet()
			.stream()
			.filter((entry) -> image.equals(((Map<String, Object>) entry.getValue()).get("image"))
					&& !((Map<String, Object>) entry.getValue()).containsKey("profiles"))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	@Test
	void twoReplicasOfTheServiceRunByDefaultWithTheSameSettingsOnTwoHostPorts() {
		assertThat(replicas()).containsExactly("stock-service", "stock-service-2");
		Map<String, Object> first = new HashMap<>(service("stock-service"));
		Map<String, Object> second = new HashMap<>(service("stock-service-2"));

		assertThat(first.remove("ports")).isNotEqualTo(second.remove("ports"));
		assertThat(second).as("everything but the published port").isEqualTo(first);
		assertThat(String.valueOf(service("stock-service-2").get("ports"))).contains("8081").contains("8080");
	}

	@Test
	void theLoadGeneratorSpreadsItsWorkersOverEveryReplicaOnceTheyAreHealthy() {
		Map<String, Object> loadgen = service("loadgen");
		String targets = replicas().stream()
			.map((replica) -> "http://" + replica + ":8080")
			.collect(Collectors.joining(","));

		assertThat(String.valueOf(loadgen.get("command"))).contains("--target " + targets + " ");
		assertThat(loadgen.get("depends_on")).isEqualTo(replicas().stream()
			.collect(Collectors.toMap((replica) -> replica, (replica) -> Map.of("condition", "service_healthy"))));
	}

	@Test
	void prometheusScrapesEachReplicaAsATargetOfItsOwn() {
		List<String> targets = ScrapeConfig.read().targets("stock-service");

		assertThat(targets)
			.containsExactlyInAnyOrderElementsOf(replicas().stream().map((replica) -> replica + ":8080").toList());
	}

	@Test
	void theServiceLogsEcsJsonLines() {
		assertThat(environment("stock-service")).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
	}

	@Test
	void theLoadGeneratorUsesTheServicesAdminTokenAndReachesItOverHttp() {
		Map<String, Object> loadgen = service("loadgen");

		assertThat(environment("loadgen").get("STOCK_ADMIN_TOKEN")).isNotNull()
			.isEqualTo(environment("stock-service").get("STOCK_ADMIN_TOKEN"));
		assertThat(String.valueOf(loadgen.get("command"))).contains("loadgen")
			.contains("--target http://stock-service:8080");
		assertThat(loadgen.get("profiles")).isEqualTo(List.of("load"));
	}

	@Test
	void theDashboardShowsTheStockOfTheSkuTheLoadGeneratorDrains() {
		assertThat(String.valueOf(environment("stock-service").get("STOCK_METRICS_LEVELSKUS")).split(","))
			.contains(String.valueOf(environment("loadgen").get("LOADGEN_SKU")));
	}

	@Test
	void prometheusScrapesTheServicesActuatorEndpointWithTheConfigInTheRepository() throws Exception {
		assertThat(strings("prometheus", "volumes")).anyMatch(
				(volume) -> volume.endsWith("/monitoring/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
		String config = Files.readString(Path.of("monitoring/prometheus/prometheus.yml"));

		assertThat(config).contains("metrics_path: /actuator/prometheus").contains("\"stock-service:8080\"");
	}

	@Test
	void grafanaOpensTheChartsDashboardWithoutALogin() {
		assertThat(strings("grafana", "volumes"))
			.anyMatch((volume) -> volume.endsWith("/helm/stock-service/dashboards:/var/lib/grafana/dashboards:ro"));
		assertThat(environment("grafana")).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
			.containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
			.containsKey("GF_SECURITY_ADMIN_PASSWORD");
	}

}
