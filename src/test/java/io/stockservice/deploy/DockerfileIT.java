package io.stockservice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.stockservice.fixture.ChildProcess;
import io.stockservice.fixture.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built here (no Docker engine), so that it cannot rot unseen
 * this test does what its stages do, outside a container, against the packaged jar: the
 * build stage's layer extraction command, the final stage's COPY of each layer in order,
 * and its ENTRYPOINT command line, read from the Dockerfile itself. The service started
 * that way must answer its health check, sell stock on a real Redis, export its metrics
 * and shut down gracefully on SIGTERM.
 * <p>
 * The image runs a JRE of 21 or newer; this runs the JVM running the tests (17 or newer),
 * which the jar's bytecode targets.
 */
class DockerfileIT {

	static final Path DOCKERFILE = Path.of("Dockerfile");

	final HttpClient http = HttpClient.newHttpClient();

	@Test
	void theFinalStagesCommandLineServesTheLayersTheBuildStageExtracted(@TempDir Path root) throws Exception {
		Dockerfile dockerfile = Dockerfile.read(DOCKERFILE);
		Path workspace = Files.createDirectories(root.resolve("build"));
		Path app = Files.createDirectories(root.resolve("app"));

		List<String> extract = dockerfile.build().runContaining("-Djarmode=tools");
		String jarName = extract.get(extract.indexOf("-jar") + 1);
		Files.copy(packagedJar(), workspace.resolve(jarName), StandardCopyOption.REPLACE_EXISTING);
		runToCompletion(javaCommand(extract), workspace);
		List<String> copiedLayers = new ArrayList<>();
		for (List<String> copy : dockerfile.last().instructions("COPY")) {
			assertThat(copy.get(0)).isEqualTo("--from=build");
			assertThat(copy.get(2)).isEqualTo("./");
			String source = copy.get(1);
			assertThat(source).startsWith(dockerfile.build().workdir() + "/");
			Path layer = workspace.resolve(source.substring(dockerfile.build().workdir().length() + 1));
			copiedLayers.add(layer.getFileName().toString());
			FileSystemUtils.copyRecursively(layer, app);
		}
		assertThat(copiedLayers).as("layers copied, least often changed first")
			.containsExactlyElementsOf(listLayers(workspace.resolve(jarName), workspace));

		try (RedisServerProcess redis = RedisServerProcess.start()) {
			int port = RedisServerProcess.freePort();
			ChildProcess service = ChildProcess.start(onThisJvm(javaCommand(dockerfile.last().entrypoint())), app,
					Map.of("SERVER_PORT", Integer.toString(port), "SPRING_DATA_REDIS_HOST", redis.host(),
							"SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()), "STOCK_METRICS_LEVELSKUS",
							"count"));
			try (service) {
				String base = "http://127.0.0.1:" + port;
				awaitOk(base + dockerfile.last().healthCheckPath(), service);

				assertThat(send("PUT", base + "/stock/count", "{\"quantity\":100}").statusCode()).isEqualTo(200);
				HttpResponse<String> reduced = send("POST", base + "/stock/reduce", "{\"sku\":\"count\"}");
				assertThat(reduced.body()).as(service.tail()).contains("\"available\":99");
				assertThat(send("GET", base + "/actuator/prometheus", null).body())
					.containsPattern("stock_level\\{[^}]*sku=\"count\"[^}]*} 99");

				// docker-compose.yml's load profile runs the load generator from the same
				// layers, through Boot's launcher; its worker JVMs must start from there
				// too.
				try (ChildProcess loadgen = ChildProcess.start(javaCommand(
						List.of("java", "org.springframework.boot.loader.launch.JarLauncher", "loadgen", "--target",
								base, "--workers", "2", "--stock", "40", "--sku", "from-layers", "--timeout", "3m")),
						app, Map.of())) {
					assertThat(loadgen.awaitExit(Duration.ofMinutes(4))).as(loadgen.tail()).isZero();
					assertThat(loadgen.log()).contains("OK");
				}

				int exit = service.stop(Duration.ofSeconds(40));
				assertThat(service.log()).as("exit " + exit).contains("Graceful shutdown complete");
			}
		}
	}

	@Test
	void theImageRunsAsANonRootUserAndExposesTheServicePortItsHealthCheckUses() throws Exception {
		Dockerfile.Stage run = Dockerfile.read(DOCKERFILE).last();

		assertThat(run.instructions("USER")).singleElement().satisfies((user) -> {
			assertThat(user.get(0)).matches("[1-9][0-9]*:[1-9][0-9]*");
		});
		assertThat(run.instructions("EXPOSE")).containsExactly(List.of("8080"));
		assertThat(run.instructions("HEALTHCHECK").get(0)).contains("http://127.0.0.1:8080/readyz")
			.doesNotContain("curl");
		assertThat(run.from()).as("the default runtime base").matches("eclipse-temurin:(2[1-9]|[3-9][0-9])-jre.*");
		assertThat(run.entrypoint()).anyMatch((argument) -> argument.startsWith("-XX:MaxRAMPercentage="));
	}

	private static Path packagedJar() {
		Path jar = Path.of(System.getProperty("stock.jar", "target/stock-service.jar"));
		assertThat(jar).as("the packaged jar (run this test with mvn verify)").isRegularFile();
		return jar;
	}

	/** The image's {@code java} is this JVM's. */
	private static List<String> javaCommand(List<String> command) {
		assertThat(command.get(0)).isEqualTo("java");
		List<String> local = new ArrayList<>(command);
		local.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
		return local;
	}

	/**
	 * The entrypoint's flags on the JVM running the tests, which may be older than the
	 * image's JRE (25): a flag of a later JDK (compact object headers) is then skipped
	 * rather than refused. ImageIT runs the image itself, on its own JRE, with every
	 * flag.
	 */
	private static List<String> onThisJvm(List<String> command) {
		if (Runtime.version().feature() >= 25) {
			return command;
		}
		List<String> older = new ArrayList<>(command);
		older.add(1, "-XX:+IgnoreUnrecognizedVMOptions");
		return older;
	}

	private static void runToCompletion(List<String> command, Path directory) {
		try (ChildProcess child = ChildProcess.start(command, directory, Map.of())) {
			int exit = child.awaitExit(Duration.ofMinutes(2));
			assertThat(exit).as(command + "\n" + child.tail()).isZero();
		}
	}

	private static List<String> listLayers(Path jar, Path directory) {
		try (ChildProcess child = ChildProcess.start(
				javaCommand(List.of("java", "-Djarmode=tools", "-jar", jar.toString(), "list-layers")), directory,
				Map.of())) {
			assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
			return child.log().lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
		}
	}

	private void awaitOk(String url, ChildProcess service) {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(service.isAlive()).as("the service exited:\n" + service.tail()).isTrue();
			try {
				if (send("GET", url, null).statusCode() == 200) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// Not listening yet.
			}
			sleep(Duration.ofMillis(250));
		}
		throw new AssertionError(url + " did not answer 200 in 90 s:\n" + service.tail());
	}

	private HttpResponse<String> send(String method, String url, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method,
				(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The instructions of a Dockerfile, by stage: just enough parsing for this one
	 * (continued lines, comments, build arguments before the first FROM with their
	 * defaults, exec-form ENTRYPOINT, shell-form RUN split on blanks).
	 */
	record Dockerfile(Map<String, String> arguments, List<Stage> stages) {

		private static final Pattern INSTRUCTION = Pattern.compile("([A-Z]+)\\s+(.*)", Pattern.DOTALL);

		private static final Pattern ARGUMENT = Pattern.compile("\\$\\{(\\w+)}");

		static Dockerfile read(Path file) throws IOException {
			String joined = Files.readString(file).replaceAll("\\\\\\n", " ");
			Map<String, String> arguments = new LinkedHashMap<>();
			List<Stage> stages = new ArrayList<>();
			for (String line : joined.lines().map(String::strip).toList()) {
				if (line.isEmpty() || line.startsWith("#")) {
					continue;
				}
				Matcher matcher = INSTRUCTION.matcher(line);
				assertThat(matcher.matches()).as("a Dockerfile instruction: " + line).isTrue();
				if (stages.isEmpty() && matcher.group(1).equals("ARG")) {
					String[] argument = matcher.group(2).split("=", 2);
					arguments.put(argument[0], (argument.length > 1) ? argument[1] : "");
				}
				else if (matcher.group(1).equals("FROM")) {
					Matcher reference = ARGUMENT.matcher(matcher.group(2));
					String from = reference.replaceAll((argument) -> {
						assertThat(arguments).as("ARG of " + line).containsKey(argument.group(1));
						return Matcher.quoteReplacement(arguments.get(argument.group(1)));
					});
					stages.add(new Stage(from, new ArrayList<>()));
				}
				else {
					stages.get(stages.size() - 1).lines().add(new String[] { matcher.group(1), matcher.group(2) });
				}
			}
			return new Dockerfile(arguments, stages);
		}

		/** The stage named {@code build}. */
		Stage build() {
			return this.stages.stream()
				.filter((stage) -> stage.from().endsWith(" AS build"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No stage AS build"));
		}

		Stage last() {
			return this.stages.get(this.stages.size() - 1);
		}

		record Stage(String from, List<String[]> lines) {

			List<List<String>> instructions(String keyword) {
				return this.lines.stream()
					.filter((line) -> line[0].equals(keyword))
					.map((line) -> Arrays.asList(line[1].trim().split("\\s+")))
					.toList();
			}

			String workdir() {
				List<List<String>> workdirs = instructions("WORKDIR");
				return workdirs.get(workdirs.size() - 1).get(0);
			}

			/** The one RUN command that contains the text, split into words. */
			List<String> runContaining(String text) {
				List<List<String>> runs = instructions("RUN").stream().filter((words) -> words.contains(text)).toList();
				assertThat(runs).as("RUN ... " + text).hasSize(1);
				return runs.get(0).stream().filter((word) -> !word.startsWith("--mount=")).toList();
			}

			List<String> entrypoint() {
				String json = this.lines.stream()
					.filter((line) -> line[0].equals("ENTRYPOINT"))
					.map((line) -> line[1])
					.reduce((first, second) -> second)
					.orElseThrow(() -> new AssertionError("No ENTRYPOINT"));
				return Stream.of(JsonMapper.builder().build().readValue(json, String[].class)).toList();
			}

			String healthCheckPath() {
				String check = String.join(" ", instructions("HEALTHCHECK").get(0));
				Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:8080(/\\S*)").matcher(check);
				assertThat(url.find()).as("HEALTHCHECK url: " + check).isTrue();
				return url.group(1);
			}

		}

	}

}
