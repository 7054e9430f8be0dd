package io.stockservice.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the compose stack does, without Docker: two instances of the service on one real
 * Redis, and the load generator's worker JVMs spread over both, through its command line
 * ({@code --target} twice, {@code --report}, {@code --html}). Request combining keeps one
 * instance from conflicting with itself; two instances writing the same stock do
 * conflict, and every unit is still sold once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoServiceInstancesLoadTests {

	static final int STOCK = 1200;

	@Test
	void workersSpreadOverTwoInstancesSellEveryUnitOnceAndTheirRetriesShowPerTarget(@TempDir Path directory)
			throws Exception {
		Path json = directory.resolve("report.json");
		Path html = directory.resolve("report.html");
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningService first = RunningService.on(redis);
				RunningService second = RunningService.on(redis)) {
			int exit = LoadGenerator.coordinate(List.of("--workers", "4", "--stock", Integer.toString(STOCK), "--sku",
					"two-instances", "--target", first.uri().toString(), "--target", second.uri().toString(),
					"--timeout", "2m", "--report", json.toString(), "--html", html.toString()));

			assertThat(exit).as("exit status").isZero();
			assertThat(redis.commands().get("stock:two-instances")).isEqualTo("0");
		}
		JsonNode report = JsonMapper.shared().readTree(json.toFile());
		assertThat(report.path("ok").asBoolean()).isTrue();
		assertThat(report.path("successes").asLong()).isEqualTo(STOCK);
		assertThat(report.path("conflicts").asLong()).as("retries of one instance after the other's write")
			.isPositive();
		JsonNode perTarget = report.path("perTarget");
		assertThat(perTarget).hasSize(2);
		assertThat(perTarget).allSatisfy((target) -> {
			assertThat(target.path("workers").asInt()).isEqualTo(2);
			assertThat(target.path("successes").asLong()).isPositive();
			assertThat(target.path("latencyMillis").path("p99").asDouble()).isPositive();
		});
		assertThat(perTarget.get(0).path("successes").asLong() + perTarget.get(1).path("successes").asLong())
			.isEqualTo(STOCK);

		HtmlPage page = HtmlPage.parse(Files.readString(html));
		assertThat(page.all("//*[@id='verdict'][@data-ok='true']")).hasSize(1);
		assertThat(page.value("successes")).isEqualTo(Integer.toString(STOCK));
		assertThat(page.value("conflicts")).isEqualTo(report.path("conflicts").asString());
		assertThat(page.seriesSum("decrements")).isEqualTo(STOCK);
		assertThat(page.seriesSum("conflicts")).isEqualTo(report.path("conflicts").asLong());
		assertThat(page.countSum("latency-histogram")).isEqualTo(STOCK);
		assertThat(page.countSum("per-worker")).isEqualTo(STOCK);
		for (JsonNode target : perTarget) {
			String row = "//table[@id='targets']//tr[@data-target='" + target.path("target").asString() + "']";
			assertThat(page.cell(row, "successes")).isEqualTo(target.path("successes").asLong());
			assertThat(page.cell(row, "conflicts")).isEqualTo(target.path("conflicts").asLong());
		}
		assertThat(page.all("//li[@data-invariant][@data-holds='true']")).hasSize(3);
	}

}
