package io.stockservice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}, alone and with {@code docker-compose.ha.yml} laid over it,
 * as Docker Compose itself reads them: Debian's {@code docker-compose} parses, validates,
 * merges and resolves the files without an engine. Then the wiring that no parser checks:
 * who talks to whom, on which port, with which secret.
 */
class ComposeFileTests {

	static ComposeConfig stack;

	static ComposeConfig ha;

	@BeforeAll
	static void resolveTheFilesWithTheLoadProfile() {
		stack = ComposeConfig.resolve("--file", ComposeConfig.FILE, "--profile", "load");
		ha = ComposeConfig.resolve("--file", ComposeConfig.FILE, "--file", ComposeConfig.HA_FILE, "--profile", "load");
	}

	@Test
	void redisKeepsItsDataInAnAppendOnlyFileOnANamedVolume() {
		assertThat(String.join(" ", stack.strings("redis", "command"))).contains("--appendonly yes");
		assertThat(stack.strings("redis", "volumes")).anyMatch((volume) -> volume.startsWith("redis-data:/data"));
		assertThat(stack.service("redis")).containsKey("healthcheck");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theServiceStartsOnceRedisIsHealthyAndIsToldWhereRedisIs() {
		Map<String, Object> dependsOn = (Map<String, Object>) stack.service("stock-service").get("depends_on");

		assertThat(dependsOn.get("redis")).isEqualTo(Map.of("condition", "service_healthy"));
		assertThat(stack.environment("stock-service")).containsEntry("SPRING_DATA_REDIS_HOST", "redis")
			.containsEntry("SPRING_DATA_REDIS_PORT", "6379");
	}

	@Test
	void theDefaultStackRunsOneRedisAndNoSentinel() {
		assertThat(stack.named("redis")).containsExactly("redis");
		for (String replica : stack.replicas()) {
			assertThat(stack.environment(replica).keySet()).noneMatch((name) -> name.contains("SENTINEL"));
		}
	}

	@Test
	void twoReplicasOfTheServiceRunByDefaultWithTheSameSettingsOnTwoHostPorts() {
		assertThat(stack.replicas()).containsExactly("stock-service", "stock-service-2");
		assertSameSettingsButThePort(stack);
		assertThat(String.valueOf(stack.service("stock-service-2").get("ports"))).contains("8081").contains("8080");
	}

	@Test
	void theLoadGeneratorSpreadsItsWorkersOverEveryReplicaOnceTheyAreHealthy() {
		assertLoadGeneratorTargetsEveryReplica(stack);
	}

	@Test
	void prometheusScrapesEachReplicaAsATargetOfItsOwn() {
		assertPrometheusScrapesEveryReplica(stack);
	}

	@Test
	void theServiceLogsEcsJsonLines() {
		assertThat(stack.environment("stock-service")).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
	}

	@Test
	void theLoadGeneratorUsesTheServicesAdminTokenAndReachesItOverHttp() {
		Map<String, Object> loadgen = stack.service("loadgen");

		assertThat(stack.environment("loadgen").get("STOCK_ADMIN_TOKEN")).isNotNull()
			.isEqualTo(stack.environment("stock-service").get("STOCK_ADMIN_TOKEN"));
		assertThat(String.valueOf(loadgen.get("command"))).contains("loadgen")
			.contains("--target http://stock-service:8080");
		assertThat(loadgen.get("profiles")).isEqualTo(List.of("load"));
	}

	@Test
	void theDashboardShowsTheStockOfTheSkuTheLoadGeneratorDrains() {
		assertThat(String.valueOf(stack.environment("stock-service").get("STOCK_METRICS_LEVELSKUS")).split(","))
			.contains(String.valueOf(stack.environment("loadgen").get("LOADGEN_SKU")));
	}

	@Test
	void prometheusScrapesTheServicesActuatorEndpointWithTheConfigInTheRepository() throws Exception {
		assertThat(stack.strings("prometheus", "volumes")).anyMatch(
				(volume) -> volume.endsWith("/monitoring/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
		String config = Files.readString(Path.of("monitoring/prometheus/prometheus.yml"));

		assertThat(config).contains("metrics_path: /actuator/prometheus").contains("\"stock-service:8080\"");
	}

	@Test
	void grafanaOpensTheChartsDashboardWithoutALogin() {
		assertThat(stack.strings("grafana", "volumes"))
			.anyMatch((volume) -> volume.endsWith("/helm/stock-service/dashboards:/var/lib/grafana/dashboards:ro"));
		assertThat(stack.environment("grafana")).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
			.containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
			.containsKey("GF_SECURITY_ADMIN_PASSWORD");
	}

	static void assertSameSettingsButThePort(ComposeConfig compose) {
		Map<String, Object> first = new HashMap<>(compose.service("stock-service"));
		Map<String, Object> second = new HashMap<>(compose.service("stock-service-2"));

		assertThat(first.remove("ports")).isNotEqualTo(second.remove("ports"));
		assertThat(second).as("everything but the published port").isEqualTo(first);
	}

	static void assertLoadGeneratorTargetsEveryReplica(ComposeConfig compose) {
		Map<String, Object> loadgen = compose.service("loadgen");
		String targets = compose.replicas()
			.stream()
			.map((replica) -> "http://" + replica + ":8080")
			.collect(Collectors.joining(","));

		assertThat(String.valueOf(loadgen.get("command"))).contains("--target " + targets + " ");
		assertThat(loadgen.get("depends_on")).isEqualTo(compose.replicas()
			.stream()
			.collect(Collectors.toMap((replica) -> replica, (replica) -> Map.of("condition", "service_healthy"))));
	}

	static void assertPrometheusScrapesEveryReplica(ComposeConfig compose) {
		List<String> targets = ScrapeConfig.read().targets("stock-service");

		assertThat(targets).containsExactlyInAnyOrderElementsOf(
				compose.replicas().stream().map((replica) -> replica + ":8080").toList());
	}

	/**
	 * {@code -f docker-compose.yml -f docker-compose.ha.yml}: the same stack, its Redis a
	 * master with a replica under three sentinels, and the service asking them where the
	 * master is.
	 */
	@Nested
	class WithTheHaFile {

		static final List<String> DATA_NODES = List.of("redis", "redis-replica");

		@Test
		void bothDataNodesRefuseWritesWithoutAReplicaAndNeverEvictAsEitherMayBeTheMaster() {
			for (String node : DATA_NODES) {
				List<String> command = ha.command(node);

				assertThat(command.get(0)).isEqualTo("redis-server");
				assertThat(option(command, "--min-replicas-to-write")).as(node).isEqualTo("1");
				assertThat(option(command, "--min-replicas-max-lag")).as(node).isEqualTo("10");
				assertThat(option(command, "--maxmemory-policy")).as(node).isEqualTo("noeviction");
				assertThat(option(command, "--appendonly")).as(node).isEqualTo("yes");
				assertThat(option(command, "--masterauth")).as("a demoted master authenticates to the new one")
					.isEqualTo(option(command, "--requirepass"));
				assertThat(option(command, "--replica-announce-ip")).as("known to the sentinels by its service name")
					.isEqualTo(node);
			}
		}

		@Test
		@SuppressWarnings("unchecked")
		void theReplicaFollowsTheMasterOnAVolumeOfItsOwnAndIsHealthyOnceInSync() {
			List<String> command = ha.command("redis-replica");

			assertThat(command.subList(command.indexOf("--replicaof"), command.size())).containsExactly("--replicaof",
					"redis", "6379");
			assertThat(ha.strings("redis-replica", "volumes"))
				.anyMatch((volume) -> volume.startsWith("redis-replica-data:/data"));
			assertThat(ha.environment("redis-replica")).isEqualTo(ha.environment("redis"));
			assertThat(String.valueOf(ha.service("redis-replica").get("healthcheck")))
				.contains("master_link_status:up");
			assertThat((Map<String, Object>) ha.service("redis-replica").get("depends_on")).containsEntry("redis",
					Map.of("condition", "service_healthy"));
		}

		@Test
		@SuppressWarnings("unchecked")
		void threeSentinelsWatchTheMasterByNameWithAQuorumOfTwoOnceBothDataNodesAreUp() {
			assertThat(sentinels()).hasSize(3);
			for (String sentinel : sentinels()) {
				SentinelScript script = SentinelScript.of(ha, sentinel);
				List<String> configuration = script.configuration().lines().toList();

				assertThat(configuration).contains("sentinel monitor mymaster redis 6379 2");
				assertThat(configuration.indexOf("sentinel resolve-hostnames yes"))
					.as("hostnames resolved before the monitor line names one")
					.isNotNegative()
					.isLessThan(configuration.indexOf("sentinel monitor mymaster redis 6379 2"));
				assertThat(configuration).contains("sentinel announce-hostnames yes", "sentinel announce-ip $HOSTNAME");
				assertThat(ha.service(sentinel).get("hostname")).isEqualTo(sentinel);
				assertThat(script.text()).as("a fresh, writable configuration file each start")
					.startsWith("cat > sentinel.conf <<EOF")
					.contains("exec docker-entrypoint.sh redis-server sentinel.conf --sentinel");
				assertThat((Map<String, Object>) ha.service(sentinel).get("depends_on"))
					.isEqualTo(Map.of("redis", Map.of("condition", "service_healthy"), "redis-replica",
							Map.of("condition", "service_healthy")));
				assertThat(String.valueOf(ha.service(sentinel).get("healthcheck"))).contains("-p 26379")
					.contains("ckquorum mymaster");
			}
		}

		@Test
		@SuppressWarnings("unchecked")
		void everyReplicaOfTheServiceAsksEverySentinelOnceTheyAreHealthy() {
			assertThat(ha.replicas()).isEqualTo(stack.replicas());
			for (String replica : ha.replicas()) {
				Map<String, Object> environment = ha.environment(replica);

				assertThat(environment).containsEntry("SPRING_DATA_REDIS_SENTINEL_MASTER", "mymaster");
				assertThat(String.valueOf(environment.get("SPRING_DATA_REDIS_SENTINEL_NODES")).split(","))
					.containsExactlyElementsOf(sentinels().stream().map((sentinel) -> sentinel + ":26379").toList());
				Map<String, Object> dependsOn = (Map<String, Object>) ha.service(replica).get("depends_on");
				sentinels().forEach((sentinel) -> assertThat(dependsOn).containsEntry(sentinel,
						Map.of("condition", "service_healthy")));
			}
		}

		@Test
		void bothReplicasOfTheServiceKeepTheSameSettingsButThePort() {
			assertSameSettingsButThePort(ha);
		}

		@Test
		void theLoadGeneratorAndPrometheusReachEveryReplicaTheHaStackRuns() {
			assertLoadGeneratorTargetsEveryReplica(ha);
			assertPrometheusScrapesEveryReplica(ha);
		}

		@Test
		void theRedisPasswordReachesBothDataNodesTheSentinelsAndTheService(@TempDir Path directory) throws Exception {
			Path env = Files.writeString(directory.resolve(".env"), "REDIS_PASSWORD=s3cret\n");
			ComposeConfig withPassword = ComposeConfig.resolve("--env-file", env.toString(), "--file",
					ComposeConfig.FILE, "--file", ComposeConfig.HA_FILE);

			for (String node : DATA_NODES) {
				assertThat(option(withPassword.command(node), "--requirepass")).isEqualTo("s3cret");
				assertThat(option(withPassword.command(node), "--masterauth")).isEqualTo("s3cret");
				assertThat(withPassword.environment(node)).containsEntry("REDISCLI_AUTH", "s3cret");
			}
			for (String sentinel : sentinels()) {
				assertThat(withPassword.environment(sentinel)).containsEntry("REDIS_PASSWORD", "s3cret");
				assertThat(SentinelScript.of(withPassword, sentinel).text())
					.contains("echo \"sentinel auth-pass mymaster $REDIS_PASSWORD\" >> sentinel.conf");
			}
			assertThat(withPassword.environment("stock-service")).containsEntry("SPRING_DATA_REDIS_PASSWORD", "s3cret");
		}

		private static List<String> sentinels() {
			return ha.named("redis-sentinel-");
		}

		private static String option(List<String> command, String name) {
			int index = command.indexOf(name);
			assertThat(index).as(name + " in " + command).isNotNegative();
			return command.get(index + 1);
		}

	}

}
