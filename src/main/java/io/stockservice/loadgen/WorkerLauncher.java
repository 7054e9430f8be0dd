package io.stockservice.loadgen;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command that starts a worker JVM, as JMH's Runner forks one: this JVM's own
 * {@code java} binary, a few JVM options, this JVM's class path and the entry point, then
 * the worker's arguments.
 * <p>
 * From the Spring Boot jar ({@code java -jar stock-service.jar loadgen}) the class path
 * is that one jar, whose nested jars only Boot's launcher can read, so a worker is
 * started the same way: {@code -jar stock-service.jar loadgen-worker ...}. From a plain
 * class path (an IDE, the tests) it is {@code -cp <class path> LoadGenerator
 * loadgen-worker ...}. In the container image the jar is extracted into Boot's launcher
 * layout (a directory with {@code BOOT-INF/} and Boot's {@code JarLauncher}), and a
 * worker is started through that launcher:
 * {@code -cp /app JarLauncher loadgen-worker ...}.
 */
final class WorkerLauncher {

	/**
	 * A worker is one client doing network round trips: a small heap and the serial
	 * collector keep ten of them from crowding a small machine. Both JIT compilers stay
	 * on: C2-compiled code takes half the CPU per reduction of C1's, and
	 * {@code --warm-up} lets the compiling happen before the race.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-Xms16m", "-Xmx128m", "-XX:+UseSerialGC");

	private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

	private final List<String> prefix;

	private WorkerLauncher(List<String> prefix) {
		this.prefix = List.copyOf(prefix);
	}

	/** How to start a worker from this JVM, whether it runs from the Boot jar or not. */
	static WorkerLauncher forThisJvm() {
		List<String> prefix = new ArrayList<>();
		prefix.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		prefix.addAll(JVM_OPTIONS);
		String classPath = System.getProperty("java.class.path");
		if (isBootJar(classPath)) {
			prefix.addAll(List.of("-jar", classPath));
		}
		else if (isExtractedBootJar(classPath)) {
			prefix.addAll(List.of("-cp", classPath, JAR_LAUNCHER));
		}
		else {
			prefix.addAll(List.of("-cp", classPath, LoadGenerator.class.getName()));
		}
		prefix.add(LoadGenerator.WORKER_COMMAND);
		return new WorkerLauncher(prefix);
	}

	List<String> command(WorkerOptions options) {
		List<String> command = new ArrayList<>(this.prefix);
		command.addAll(options.arguments());
		return command;
	}

	/**
	 * A directory laid out by {@code java -Djarmode=tools -jar ... extract --launcher}.
	 */
	private static boolean isExtractedBootJar(String classPath) {
		File root = new File(classPath.isEmpty() ? "." : classPath);
		return !classPath.contains(File.pathSeparator) && new File(root, "BOOT-INF/classes").isDirectory()
				&& new File(root, JAR_LAUNCHER.replace('.', '/') + ".class").isFile();
	}

	/** A single jar with a {@code Start-Class}: an executable Spring Boot jar. */
	private static boolean isBootJar(String classPath) {
		if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar") || !new File(classPath).isFile()) {
			return false;
		}
		try (JarFile jar = new JarFile(classPath)) {
			Manifest manifest = jar.getManifest();
			return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + classPath, ex);
		}
	}

}
