package io.stockservice.config;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.stockservice.stock.StockReducer;
import io.stockservice.tracing.ReduceTracing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A span per reduction (see {@link ReduceTracing}), on the tracer Spring Boot builds:
 * Micrometer Tracing over OpenTelemetry, continuing the W3C trace context of the request,
 * exporting over OTLP only once
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	ReduceTracing reduceTracing(Tracer tracer, StockReducer reducer) {
		return new ReduceTracing(tracer, reducer.strategy());
	}

	/**
	 * Keeps out of the export the span of a Redis command that no request asked for.
	 * Lettuce traces every command (Spring Boot wires its observation); a command with no
	 * current span, as a combined transaction runs on a combiner thread, or the health
	 * check's PING, would each start a trace of its own, one per command. The request's
	 * own {@code stock.reduce} span carries its transactions instead; a command run on a
	 * request's thread (e.g. the GET of {@code GET /stock/{sku}}) stays in its trace.
	 */
	@Bean
	SpanExportingPredicate noRedisCommandsOutsideRequests() {
		return (span) -> !"redis".equals(span.getTags().get("db.system")) || hasParent(span);
	}

	private static boolean hasParent(FinishedSpan span) {
		String parent = span.getParentId();
		return parent != null && !parent.isEmpty() && !parent.chars().allMatch((digit) -> digit == '0');
	}

}
