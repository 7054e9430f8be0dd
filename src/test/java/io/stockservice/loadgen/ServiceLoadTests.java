package io.stockservice.loadgen;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator pointed at the running service: three worker JVMs call
 * {@code POST /stock/reduce} on the service started here, on a real Redis, and every unit
 * is still sold exactly once, the service's retries included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RealRedisConfiguration.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServiceLoadTests {

	@LocalServerPort
	int port;

	final TestRedis redis = TestRedis.shared();

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	@Test
	void threeWorkerJvmsSellEveryUnitExactlyOnceThroughTheService() throws Exception {
		LoadOptions options = LoadOptions.parse(List.of("--workers", "3", "--stock", "150", "--sku", "loadgen",
				"--target", "http://127.0.0.1:" + this.port, "--timeout", "2m"), Map.of());

		LoadReport report = new Coordinator(options, WorkerLauncher.forThisJvm(),
				new PrintStream(OutputStream.nullOutputStream()), System.err)
			.run();

		assertThat(report.failures()).isEmpty();
		assertThat(report.invariants()).isEqualTo(new Invariants(true, true, true));
		assertThat(report.ok()).isTrue();
		assertThat(report.successes()).isEqualTo(150);
		assertThat(report.strategy()).isNull();
		assertThat(this.redis.commands().get("stock:loadgen")).isEqualTo("0");
		assertThat(report.perWorker()).extracting(LoadReport.WorkerReport::pid)
			.doesNotHaveDuplicates()
			.hasSize(3)
			.doesNotContain(ProcessHandle.current().pid());
	}

}
