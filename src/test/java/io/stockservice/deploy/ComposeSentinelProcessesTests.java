package io.stockservice.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.stockservice.fixture.Await;
import io.stockservice.fixture.ChildProcess;
import io.stockservice.fixture.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.ha.yml}'s Redis run for real, without Docker: its data nodes'
 * {@code redis-server} command lines and its sentinels' start script, as
 * {@code docker-compose config} resolves them with a password, run as local processes on
 * loopback ports (each service name read as 127.0.0.1, port 6379 as a free port), and the
 * healthchecks as compose would run them. Sentinel is then made to fail the master over:
 * the replica takes over, and the old master follows it (its {@code masterauth} lets it
 * in), so that a write is again confirmed by a replica, as {@code min-replicas-to-write}
 * and the service's WAIT need.
 */
class ComposeSentinelProcessesTests {

	static final String PASSWORD = "s3cret";

	static final String MASTER_NAME = "mymaster";

	static final Duration CONVERGE = Duration.ofSeconds(60);

	private final List<AutoCloseable> started = new ArrayList<>();

	private final RedisClient sentinelClient = RedisClient.create();

	@AfterEach
	void stopEverything() throws Exception {
		this.sentinelClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		for (int i = this.started.size() - 1; i >= 0; i--) {
			this.started.get(i).close();
		}
	}

	@Test
	void theHaFilesRedisFailsOverAndTheDemotedMasterFollowsTheNewOne(@TempDir Path directory) throws Exception {
		ComposeConfig ha = ComposeConfig.resolve("--env-file",
				Files.writeString(directory.resolve(".env"), "REDIS_PASSWORD=" + PASSWORD + "\n").toString(), "--file",
				ComposeConfig.FILE, "--file", ComposeConfig.HA_FILE);
		RedisServerProcess master = started(
				RedisServerProcess.startOn(RedisServerProcess.freePort(), local(ha.command("redis"), Map.of())));
		RedisServerProcess replica = started(RedisServerProcess.startOn(RedisServerProcess.freePort(),
				local(ha.command("redis-replica"), Map.of("redis", master.port()))));
		Await.until("the replica healthy", CONVERGE, () -> healthy(ha, "redis-replica", replica),
				() -> replica.tail(20));
		Map<String, RedisServerProcess> sentinels = new TreeMap<>();
		for (String service : ha.named("redis-sentinel-")) {
			sentinels.put(service, started(RedisServerProcess.startSentinel(RedisServerProcess.freePort(),
					sentinelConfiguration(ha, service, directory.resolve(service), master))));
		}
		List<RedisSentinelCommands<String, String>> watching = sentinels.values()
			.stream()
			.map((sentinel) -> this.sentinelClient.connectSentinel(sentinel.redisUri()).sync())
			.toList();

		Await.until("every sentinel healthy, seeing the replica and two other sentinels", CONVERGE,
				() -> sentinels.entrySet()
					.stream()
					.allMatch((sentinel) -> healthy(ha, sentinel.getKey(), sentinel.getValue()))
						&& watching.stream().allMatch((sentinel) -> seesReplicaAndOthers(sentinel.master(MASTER_NAME))),
				() -> describe(watching, master, replica));
		assertThat(master.commands().configGet("min-replicas-to-write")).containsEntry("min-replicas-to-write", "1");
		watching.get(0).failover(MASTER_NAME);

		Await.until("every sentinel naming the replica as the master", CONVERGE,
				() -> watching.stream().allMatch((sentinel) -> replica.address().equals(masterSeenBy(sentinel))),
				() -> describe(watching, master, replica));
		Await.until("the old master following the new one", CONVERGE,
				() -> "up".equals(master.info("replication").get("master_link_status"))
						&& Integer.toString(replica.port()).equals(master.info("replication").get("master_port")),
				() -> describe(watching, master, replica));
		replica.commands().set("stock:after-failover", "1");
		assertThat(replica.commands().waitForReplication(1, 5000)).as("replicas that confirmed the write").isEqualTo(1);
		assertThat(master.commands().get("stock:after-failover")).isEqualTo("1");
	}

	private <T extends AutoCloseable> T started(T process) {
		this.started.add(process);
		return process;
	}

	/**
	 * A data node's compose command for a local process: without the program, announcing
	 * and following loopback addresses.
	 */
	private static String[] local(List<String> command, Map<String, Integer> ports) {
		assertThat(command.get(0)).isEqualTo("redis-server");
		List<String> settings = new ArrayList<>(command.subList(1, command.size()));
		settings.set(settings.indexOf("--replica-announce-ip") + 1, "127.0.0.1");
		int replicaOf = settings.indexOf("--replicaof");
		if (replicaOf >= 0) {
			assertThat(settings.get(replicaOf + 2)).isEqualTo("6379");
			settings.set(replicaOf + 2, Integer.toString(ports.get(settings.get(replicaOf + 1))));
			settings.set(replicaOf + 1, "127.0.0.1");
		}
		return settings.toArray(String[]::new);
	}

	/**
	 * Runs the sentinel service's script with the environment compose gives it, the
	 * image's entry point replaced by a stub that records how it was called, and returns
	 * the configuration file it wrote, pointed at the local master.
	 */
	private static String sentinelConfiguration(ComposeConfig ha, String service, Path directory,
			RedisServerProcess master) throws IOException {
		Path bin = Files.createDirectories(directory.resolve("bin"));
		Path stub = Files.writeString(bin.resolve("docker-entrypoint.sh"),
				"#!/bin/sh\necho \"$@\" > entrypoint-arguments\n");
		Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
		Map<String, String> environment = ha.environment(service)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> String.valueOf(entry.getValue())));
		environment.put("HOSTNAME", "127.0.0.1");
		environment.put("PATH", bin + ":" + System.getenv("PATH"));
		try (ChildProcess script = ChildProcess.start(ha.command(service), directory, environment)) {
			assertThat(script.awaitExit(Duration.ofSeconds(10))).as(script.log()).isZero();
		}
		assertThat(Files.readString(directory.resolve("entrypoint-arguments")))
			.isEqualTo("redis-server sentinel.conf --sentinel\n");
		String configuration = Files.readString(directory.resolve("sentinel.conf"));
		assertThat(configuration).contains("sentinel announce-ip 127.0.0.1\n")
			.contains("sentinel auth-pass " + MASTER_NAME + " " + PASSWORD + "\n");
		return configuration.replace(" redis 6379 ", " 127.0.0.1 " + master.port() + " ");
	}

	/** The service's compose healthcheck, run against a local process. */
	private static boolean healthy(ComposeConfig ha, String service, RedisServerProcess process) {
		@SuppressWarnings("unchecked")
		List<String> test = (List<String>) ((Map<String, Object>) ha.service(service).get("healthcheck")).get("test");
		assertThat(test.get(0)).isEqualTo("CMD-SHELL");
		String command = test.get(1).replaceAll("redis-cli (-p [0-9]+ )?", "redis-cli -p " + process.port() + " ");
		Map<String, String> environment = new HashMap<>();
		ha.environment(service).forEach((name, value) -> environment.put(name, String.valueOf(value)));
		try (ChildProcess check = ChildProcess.start(List.of("/bin/sh", "-c", command), Path.of("."), environment)) {
			return check.awaitExit(Duration.ofSeconds(5)) == 0;
		}
	}

	private static boolean seesReplicaAndOthers(Map<String, String> master) {
		return "master".equals(master.get("flags")) && "1".equals(master.get("num-slaves"))
				&& "2".equals(master.get("num-other-sentinels"));
	}

	private static String masterSeenBy(RedisSentinelCommands<String, String> sentinel) {
		InetSocketAddress address = (InetSocketAddress) sentinel.getMasterAddrByName(MASTER_NAME);
		return address.getHostString() + ":" + address.getPort();
	}

	private static String describe(List<RedisSentinelCommands<String, String>> sentinels, RedisServerProcess... nodes) {
		StringBuilder description = new StringBuilder();
		for (RedisSentinelCommands<String, String> sentinel : sentinels) {
			try {
				description.append(sentinel.master(MASTER_NAME)).append('\n');
			}
			catch (RuntimeException ex) {
				description.append(ex).append('\n');
			}
		}
		for (RedisServerProcess node : nodes) {
			description.append("--- ").append(node).append('\n').append(node.tail(15)).append('\n');
		}
		return description.toString();
	}

}
