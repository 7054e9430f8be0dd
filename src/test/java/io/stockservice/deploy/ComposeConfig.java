package io.stockservice.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.stockservice.fixture.ExternalTools;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose files as Debian's {@code docker-compose} resolves them (parsed, validated,
 * the override merged in, variables interpolated), without an engine: the services, read
 * by name.
 *
 * @param services each service's resolved definition, by name
 */
record ComposeConfig(Map<String, Object> services) {

	static final String FILE = "docker-compose.yml";

	/** Laid over {@link #FILE} for Redis with a replica and three sentinels. */
	static final String HA_FILE = "docker-compose.ha.yml";

	/**
	 * @param arguments {@code docker-compose} options before {@code config}, e.g.
	 * {@code --file}, {@code --profile}, {@code --env-file}
	 */
	@SuppressWarnings("unchecked")
	static ComposeConfig resolve(String... arguments) {
		List<String> check = new ArrayList<>(List.of(arguments));
		check.addAll(List.of("config", "--quiet"));
		ExternalTools.run("docker-compose", check.toArray(String[]::new)).assertSucceeded();
		List<String> config = new ArrayList<>(List.of(arguments));
		config.add("config");
		String resolved = ExternalTools.run("docker-compose", config.toArray(String[]::new)).assertSucceeded().output();
		return new ComposeConfig((Map<String, Object>) new Yaml().<Map<String, Object>>load(resolved).get("services"));
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> service(String name) {
		assertThat(this.services).containsKey(name);
		return (Map<String, Object>) this.services.get(name);
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> environment(String name) {
		return (Map<String, Object>) service(name).get("environment");
	}

	@SuppressWarnings("unchecked")
	List<String> strings(String service, String key) {
		return (List<String>) service(service).get(key);
	}

	/**
	 * A service's command as the shell in its container runs it: {@code $$}, which keeps
	 * compose from interpolating, is {@code $} there.
	 */
	List<String> command(String service) {
		return strings(service, "command").stream().map((argument) -> argument.replace("$$", "$")).toList();
	}

	/**
	 * The services that run the service's image outside any profile: its replicas.
	 */
	@SuppressWarnings("unchecked")
	List<String> replicas() {
		Object image = service("stock-service").get("image");
		return this.services.entrySet()
			.stream()
			.filter((entry) -> image.equals(((Map<String, Object>) entry.getValue()).get("image"))
					&& !((Map<String, Object>) entry.getValue()).containsKey("profiles"))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	/** The services whose name starts with the prefix, sorted. */
	List<String> named(String prefix) {
		return this.services.keySet().stream().filter((name) -> name.startsWith(prefix)).sorted().toList();
	}

}
