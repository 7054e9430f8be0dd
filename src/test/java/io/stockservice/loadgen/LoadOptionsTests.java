package io.stockservice.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The command line of {@code loadgen}, as {@code --help} documents it. */
class LoadOptionsTests {

	@Test
	void withoutOptionsTenWorkersDrainTheArticlesCounterOfOneHundredUnits() {
		LoadOptions options = LoadOptions.parse(List.of(), Map.of());

		assertThat(options)
			.isEqualTo(new LoadOptions(10, 100, "count", 1, List.of(Target.parse("redis://127.0.0.1:6379")), "watch",
					false, false, null, null, Duration.ofMinutes(5), null, 0, false, 0, 0));
	}

	@Test
	void targetsMayBeGivenSeveralTimesOrAsACommaSeparatedListAndKeepTheirOrder() {
		LoadOptions options = LoadOptions.parse(
				List.of("--target", "http://127.0.0.1:8080,http://127.0.0.1:8081", "--target=http://127.0.0.1:8082/"),
				Map.of());

		assertThat(options.targets()).extracting(Target::uri)
			.containsExactly("http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8082");
		assertThat(options.kind()).isEqualTo(Target.Kind.HTTP);
	}

	@Test
	void workersAreSpreadOverTheTargetsInTurn() {
		LoadOptions options = LoadOptions.parse(
				List.of("--workers", "5", "--target", "http://127.0.0.1:8080", "--target", "http://127.0.0.1:8081"),
				Map.of());

		assertThat(List.of(1, 2, 3, 4, 5)).map((index) -> options.worker(index).target().uri())
			.containsExactly("http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8080",
					"http://127.0.0.1:8081", "http://127.0.0.1:8080");
	}

	@Test
	void targetsOfTwoKindsAreRefusedWithTheRuleInTheMessage() {
		assertThatExceptionOfType(Arguments.UsageException.class)
			.isThrownBy(() -> LoadOptions
				.parse(List.of("--target", "http://127.0.0.1:8080", "--target", "redis://127.0.0.1:6379"), Map.of()))
			.withMessageContaining("all targets must be of one kind")
			.withMessageContaining("all http://")
			.withMessageContaining("all redis://");
	}

	@Test
	void theSameTargetTwiceIsRefused() {
		assertThatExceptionOfType(Arguments.UsageException.class).isThrownBy(
				() -> LoadOptions.parse(List.of("--target", "http://127.0.0.1:8080,http://127.0.0.1:8080/"), Map.of()))
			.withMessageContaining("--target http://127.0.0.1:8080 is given twice");
	}

	@Test
	void everyTargetNeedsAWorker() {
		assertThatExceptionOfType(Arguments.UsageException.class)
			.isThrownBy(() -> LoadOptions
				.parse(List.of("--workers", "1", "--target", "redis://127.0.0.1:1,redis://127.0.0.1:2"), Map.of()))
			.withMessageContaining("--workers must be at least the number of targets (2)");
	}

	@Test
	void otherOptionsAreStillRefusedWhenGivenTwice() {
		assertThatExceptionOfType(Arguments.UsageException.class)
			.isThrownBy(() -> LoadOptions.parse(List.of("--sku", "a", "--sku", "b"), Map.of()))
			.withMessage("--sku is given twice");
	}

	@Test
	void theHtmlReportGoesWhereItIsAskedTo() {
		assertThat(LoadOptions.parse(List.of("--html", "run.html"), Map.of()).html()).isEqualTo(Path.of("run.html"));
	}

	@Test
	void idempotentRetriesAreAboutTheServiceSoTheyNeedAnHttpTarget() {
		assertThat(
				LoadOptions.parse(List.of("--target", "http://127.0.0.1:8080", "--idempotent"), Map.of()).idempotent())
			.isTrue();
		assertThatExceptionOfType(Arguments.UsageException.class)
			.isThrownBy(() -> LoadOptions.parse(List.of("--idempotent"), Map.of()))
			.withMessageContaining("--idempotent needs an http:// --target");
	}

	@Test
	void theAdminTokenComesFromTheEnvironmentUnlessGiven() {
		Map<String, String> env = Map.of("STOCK_ADMIN_TOKEN", "from-env");

		assertThat(LoadOptions.parse(List.of(), env).adminToken()).isEqualTo("from-env");
		assertThat(LoadOptions.parse(List.of("--admin-token", "given"), env).adminToken()).isEqualTo("given");
	}

	@Test
	void anHttpTargetIsRecognisedWithOrWithoutATrailingSlash() {
		LoadOptions options = LoadOptions.parse(List.of("--target=http://127.0.0.1:18080/"), Map.of());

		assertThat(options.targets()).containsExactly(new Target(Target.Kind.HTTP, "http://127.0.0.1:18080"));
	}

	@Test
	void embeddedRedisAndATargetExcludeEachOther() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadOptions.parse(List.of("--embedded-redis", "--target", "redis://h:1"), Map.of()))
			.withMessageContaining("exclude each other");
	}

	@Test
	void unknownOptionsAndBadValuesAreRefusedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse(List.of("--wokers", "3"), Map.of()))
			.withMessageContaining("--wokers");
		assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse(List.of("--workers", "0"), Map.of()))
			.withMessageContaining("--workers");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadOptions.parse(List.of("--target", "tcp://h:1"), Map.of()))
			.withMessageContaining("--target");
		assertThatIllegalArgumentException().isThrownBy(() -> LoadOptions.parse(List.of("--timeout", "soon"), Map.of()))
			.withMessageContaining("--timeout");
	}

	@Test
	void theTestSeamsReachTheFirstWorkerOnly() {
		LoadOptions options = LoadOptions.parse(List.of("--crash-worker-after", "5"), Map.of());

		assertThat(options.worker(1).crashAfter()).isEqualTo(5);
		assertThat(options.worker(2).crashAfter()).isZero();
	}

	@Test
	void aWorkerReadsBackTheOptionsTheCoordinatorGivesIt() {
		WorkerOptions worker = LoadOptions.parse(List.of("--target", "redis://127.0.0.1:1", "--strategy", "lua",
				"--sku", "hot", "--quantity", "2", "--hang-worker-after", "7"), Map.of())
			.worker(1);

		assertThat(WorkerOptions.parse(worker.arguments())).isEqualTo(worker);
	}

}
