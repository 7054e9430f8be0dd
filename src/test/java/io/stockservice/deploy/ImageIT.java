package io.stockservice.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import io.stockservice.fixture.ChildProcess;
import io.stockservice.fixture.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image for real: built from the Dockerfile by podman, on stand-in base images made
 * from Debian packages ({@code .ci/stand-in-bases.sh}: Debian's OpenJDK 25 for Temurin's,
 * as this machine cannot pull public images), then run as compose runs it, with compose's
 * Redis command and the service's compose environment, in one podman pod whose only
 * network is its loopback: the two containers talk over the pod's localhost, the checks
 * run inside the pod ({@code podman exec}), and nothing is sent anywhere else.
 * <p>
 * The service runs as a user would run it hardened (as the Helm chart does): a read-only
 * root filesystem with a tmpfs on {@code /tmp} only. What a user relies on is then
 * checked in order: it sells stock on port 8080; it runs as the Dockerfile's non-root
 * user; its root filesystem refuses writes, even root's; its HEALTHCHECK passes, fails
 * while Redis is down and passes again once Redis is back; the load generator runs from
 * the image's layers; and SIGTERM stops it cleanly.
 * <p>
 * The first build on a machine takes a few minutes (the stand-ins, then Maven Central's
 * downloads, kept in the Dockerfile's cache mount); later ones reuse both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {

	static final String IMAGE = "localhost/stock-service:image-it";

	static final String POD = "stock-image-it-" + ProcessHandle.current().pid();

	static final String REDIS = POD + "-redis";

	static final String SERVICE = POD + "-service";

	static final String BASE = "http://127.0.0.1:8080";

	private Path hosts;

	@BeforeAll
	void buildTheImageAndStartItInAPodBesideRedis() throws Exception {
		ExternalTools.require("podman");
		ExternalTools.require("debootstrap");
		if (!"root".equals(System.getProperty("user.name"))
				&& !"true".equals(System.getenv("REQUIRE_EXTERNAL_TOOLS"))) {
			Assumptions.abort("the stand-in base images need root (debootstrap, chroot); .ci/run runs as root");
		}
		List<String> bases = ChildProcess.run(List.of("bash", ".ci/stand-in-bases.sh"), Duration.ofMinutes(15))
			.assertSucceeded()
			.output()
			.lines()
			.toList();
		assertThat(bases).as("jdk, jre and redis stand-ins").hasSize(3);
		long start = System.nanoTime();
		podman(Duration.ofMinutes(20), "build", "--format", "docker", "--build-arg", "BUILD_IMAGE=" + bases.get(0),
				"--build-arg", "RUNTIME_IMAGE=" + bases.get(1), "--tag", IMAGE, ".");
		System.out.printf("image-it | built %s in %d s, %s bytes%n", IMAGE,
				Duration.ofNanos(System.nanoTime() - start).toSeconds(),
				podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", IMAGE).strip());

		Compose compose = Compose.resolve();
		// In a pod, compose's service name "redis" is the pod's own localhost: a hosts
		// file
		// says so, because podman ignores --add-host on a pod without a network.
		// Readable by the image's user: else the JVM falls back to DNS, which has no
		// network here.
		this.hosts = Files.createTempFile("image-it-hosts", "",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
		Files.writeString(this.hosts, "127.0.0.1 localhost " + POD + "\n127.0.0.1 redis\n");
		podman(Duration.ofMinutes(1), "pod", "create", "--name", POD, "--network", "none");
		List<String> redis = new ArrayList<>(List.of("run", "--detach", "--pod", POD, "--name", REDIS, bases.get(2)));
		redis.addAll(compose.redisCommand());
		podman(Duration.ofMinutes(1), redis.toArray(new String[0]));
		await("redis-cli ping", () -> exec(REDIS, "redis-cli", "ping").output().contains("PONG"));

		List<String> service = new ArrayList<>(
				List.of("run", "--detach", "--pod", POD, "--name", SERVICE, "--read-only", "--read-only-tmpfs=false",
						"--tmpfs", "/tmp", "--volume", this.hosts + ":/etc/hosts:ro"));
		compose.serviceEnvironment().forEach((name, value) -> service.addAll(List.of("--env", name + "=" + value)));
		service.add(IMAGE);
		podman(Duration.ofMinutes(1), service.toArray(new String[0]));
		await("the image's health check", this::healthy);
	}

	@AfterAll
	void removeThePod() throws Exception {
		ChildProcess.run(List.of(podmanBinary(), "pod", "rm", "--force", "--time", "5", POD), Duration.ofMinutes(1));
		if (this.hosts != null) {
			Files.deleteIfExists(this.hosts);
		}
	}

	@Test
	@Order(1)
	void itSellsStockOnPort8080FromComposesRedis() {
		exec(REDIS, "redis-cli", "SET", "stock:image-it", "100").assertSucceeded();

		assertThat(wget("--header", "Content-Type: application/json", "--post-data", "{\"sku\":\"image-it\"}",
				BASE + "/stock/reduce"))
			.contains("\"available\":99");
		assertThat(wget(BASE + "/stock/image-it")).contains("\"available\":99");
		assertThat(exec(REDIS, "redis-cli", "GET", "stock:image-it").output().strip()).isEqualTo("99");
		assertThat(wget(BASE + "/actuator/prometheus")).contains("stock_reduce_requests_total");
	}

	@Test
	@Order(2)
	void itRunsAsTheDockerfilesNonRootUser() {
		String status = exec(SERVICE, "cat", "/proc/1/status").assertSucceeded().output();

		assertThat(podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Config.User}}", IMAGE).strip())
			.isEqualTo("10001:10001");
		assertThat(status).containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s+10001\\s+10001$")
			.containsPattern("(?m)^Gid:\\s+10001\\s");
	}

	@Test
	@Order(3)
	void itServesFromARootFilesystemThatRefusesEvenRootsWrites() {
		ChildProcess.Result write = ChildProcess.run(
				List.of(podmanBinary(), "exec", "--user", "0", SERVICE, "touch", "/app/written"),
				Duration.ofMinutes(1));

		assertThat(podman(Duration.ofMinutes(1), "container", "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}",
				SERVICE)
			.strip()).isEqualTo("true");
		write.assertFailed();
		assertThat(write.output() + write.errors()).contains("Read-only file system");
		assertThat(wget(BASE + "/readyz")).contains("UP");
	}

	@Test
	@Order(4)
	void itsHealthCheckFailsWhileRedisIsDownAndPassesOnceItIsBack() {
		assertThat(healthy()).isTrue();

		podman(Duration.ofMinutes(1), "stop", "--time", "10", REDIS);
		await("the health check to fail without Redis", () -> !healthy());
		podman(Duration.ofMinutes(1), "start", REDIS);
		await("the health check to pass with Redis back", this::healthy);
	}

	@Test
	@Order(5)
	void theLoadGeneratorRunsFromTheImagesLayersAsComposeRunsIt() {
		ChildProcess.Result run = ChildProcess.run(List.of(podmanBinary(), "run", "--rm", "--pod", POD, "--env",
				"STOCK_ADMIN_TOKEN=" + Compose.resolve().serviceEnvironment().get("STOCK_ADMIN_TOKEN"), "--entrypoint",
				"java", IMAGE, "-XX:MaxRAMPercentage=25", "org.springframework.boot.loader.launch.JarLauncher",
				"loadgen", "--target", BASE, "--workers", "2", "--stock", "40", "--sku", "image-loadgen", "--timeout",
				"3m"), Duration.ofMinutes(4));

		assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
		assertThat(run.output()).contains("sold 40").endsWith("OK\n");
	}

	@Test
	@Order(6)
	void sigtermStopsItCleanlyWithinTheGracePeriod() {
		long start = System.nanoTime();
		podman(Duration.ofMinutes(1), "stop", "--time", "30", SERVICE);
		Duration stopped = Duration.ofNanos(System.nanoTime() - start);
		String exitCode = podman(Duration.ofMinutes(1), "container", "inspect", "--format", "{{.State.ExitCode}}",
				SERVICE);
		String logs = ChildProcess.run(List.of(podmanBinary(), "logs", SERVICE), Duration.ofMinutes(1)).output();
		System.out.printf("image-it | stopped in %d ms, exit code %s%n", stopped.toMillis(), exitCode.strip());

		// 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited; 137 would be
		// the
		// SIGKILL that follows the grace period.
		assertThat(exitCode.strip()).isEqualTo("143");
		assertThat(stopped).isLessThan(Duration.ofSeconds(25));
		assertThat(logs).contains("Commencing graceful shutdown").contains("Graceful shutdown complete");
	}

	private boolean healthy() {
		return ChildProcess.run(List.of(podmanBinary(), "healthcheck", "run", SERVICE), Duration.ofMinutes(1))
			.exitCode() == 0;
	}

	private String wget(String... arguments) {
		List<String> command = new ArrayList<>(List.of("wget", "-q", "-O", "-"));
		command.addAll(List.of(arguments));
		return exec(SERVICE, command.toArray(new String[0])).assertSucceeded().output();
	}

	private static ChildProcess.Result exec(String container, String... command) {
		List<String> podman = new ArrayList<>(List.of(podmanBinary(), "exec", container));
		podman.addAll(List.of(command));
		return ChildProcess.run(podman, Duration.ofMinutes(1));
	}

	private static String podman(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(List.of(podmanBinary()));
		command.addAll(List.of(arguments));
		return ChildProcess.run(command, timeout).assertSucceeded().output();
	}

	private static String podmanBinary() {
		return ExternalTools.require("podman").toString();
	}

	private static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				String logs = ChildProcess
					.run(List.of(podmanBinary(), "logs", "--tail", "60", SERVICE), Duration.ofMinutes(1))
					.output();
				throw new AssertionError("Waited 120 s for " + what + "; the service's last lines:\n" + logs);
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * What compose would run: the redis service's command, and the stock-service's
	 * environment, as {@code docker-compose config} resolves them with the defaults.
	 */
	record Compose(List<String> redisCommand, Map<String, String> serviceEnvironment) {

		@SuppressWarnings("unchecked")
		static Compose resolve() {
			String resolved = ExternalTools.run("docker-compose", "--file", "docker-compose.yml", "config")
				.assertSucceeded()
				.output();
			Map<String, Object> services = (Map<String, Object>) new Yaml().<Map<String, Object>>load(resolved)
				.get("services");
			Map<String, Object> redis = (Map<String, Object>) services.get("redis");
			Map<String, Object> service = (Map<String, Object>) services.get("stock-service");
			Map<String, String> environment = new TreeMap<>();
			((Map<String, Object>) service.get("environment"))
				.forEach((name, value) -> environment.put(name, (value != null) ? String.valueOf(value) : ""));
			return new Compose((List<String>) redis.get("command"), environment);
		}

	}

}
