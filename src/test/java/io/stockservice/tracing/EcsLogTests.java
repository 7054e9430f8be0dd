package io.stockservice.tracing;

import java.util.UUID;

import io.stockservice.fixture.RunningService;
import io.stockservice.fixture.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the structured format docker compose and the Helm chart set
 * ({@code logging.structured.format.console=ecs}), each log line is one ECS JSON object,
 * and one written while serving a request carries that request's trace id, under ECS's
 * own {@code trace.id}.
 */
@ExtendWith(OutputCaptureExtension.class)
class EcsLogTests {

	final TestRedis redis = TestRedis.shared();

	/**
	 * Boot keeps the format in a system property, which every later application in this
	 * JVM would read: the tests after this one get plain text again.
	 */
	@AfterEach
	void plainTextAgain() {
		this.redis.flush();
		System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.cleanUp();
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	@Test
	void aLogLineIsAnEcsJsonObjectWithTheRequestsTraceId(CapturedOutput output) {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		this.redis.commands().set("stock:ecs-broken", "garbage");

		try (RunningService service = RunningService.withProperties("spring.data.redis.host=" + this.redis.host(),
				"spring.data.redis.port=" + this.redis.port(), "logging.structured.format.console=ecs")) {
			service.http()
				.post()
				.uri("/stock/reduce")
				.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"sku\":\"ecs-broken\"}")
				.exchange()
				.expectStatus()
				.isEqualTo(500);
		}

		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("Stock key of ecs-broken"))
			.findFirst()
			.orElseThrow();
		JsonNode log = JsonMapper.shared().readTree(line);
		assertThat(log.path("log").path("level").asString()).isEqualTo("ERROR");
		assertThat(log.path("service").path("name").asString()).isEqualTo("stock-service");
		// Flat dotted keys, as the ECS logging libraries write them; Elasticsearch reads
		// them
		// as trace.id and span.id.
		assertThat(log.path("trace.id").asString()).isEqualTo(traceId);
		assertThat(log.path("span.id").asString()).hasSize(16);
	}

}
