package io.stockservice.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property that switches the OTLP exporter on is the one docs/observability.md names;
 * without it, {@code TracingApiTests} shows there is no exporter at all.
 */
class OtlpExportTests {

	@Test
	void anOtlpEndpointSwitchesTheOtlpExporterOn() {
		int nothingListens = RedisServerProcess.freePort();
		try (RunningService service = RunningService.withProperties("spring.data.redis.port=" + nothingListens,
				"management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:" + nothingListens
						+ "/v1/traces")) {
			assertThat(service.bean(SpanExporter.class)).isInstanceOf(OtlpHttpSpanExporter.class);
		}
	}

}
