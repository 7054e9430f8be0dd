package io.stockservice.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.stockservice.fixture.RealRedisConfiguration;
import io.stockservice.fixture.TestRedis;
import io.stockservice.stock.ReduceListener;
import io.stockservice.stock.StockKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's traces over real HTTP, with its real OpenTelemetry tracer: a request's
 * W3C {@code traceparent} is continued, the reduction's span sits in that trace under the
 * request's span and shows its own attempts and conflicts (with combining on, the
 * default), a log line written while serving the request carries its trace id, and with
 * no OTLP endpoint set nothing is exported. The spans are read from a span exporter of
 * the test's own, the one exporter there is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import({ RealRedisConfiguration.class, TracingApiTests.Spans.class })
@ExtendWith(OutputCaptureExtension.class)
class TracingApiTests {

	static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

	/** Each test's own trace, as the caller started it. */
	final String traceId = UUID.randomUUID().toString().replace("-", "");

	@Autowired
	RestTestClient http;

	@Autowired
	Collected collected;

	@Autowired
	SdkTracerProvider tracerProvider;

	@Autowired
	ApplicationContext context;

	final TestRedis redis = TestRedis.shared();

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		Collected collectedSpans() {
			return new Collected();
		}

		/**
		 * Another client writes the stock of {@code traced} after its first two reads.
		 */
		@Bean
		ReduceListener twoConflictsOnTraced() {
			TestRedis redis = TestRedis.shared();
			StockKeys keys = StockKeys.defaults();
			AtomicInteger reads = new AtomicInteger();
			return new ReduceListener() {

				@Override
				public void watched(List<String> skus) {
					if (skus.contains("traced") && reads.incrementAndGet() <= 2) {
						redis.commands().set(keys.stock("traced"), redis.commands().get(keys.stock("traced")));
					}
				}

			};
		}

	}

	/** Keeps every span the service finishes. */
	static final class Collected implements SpanExporter {

		final List<SpanData> spans = new ArrayList<>();

		@Override
		public synchronized CompletableResultCode export(Collection<SpanData> spans) {
			this.spans.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		synchronized List<SpanData> all() {
			return List.copyOf(this.spans);
		}

		synchronized List<SpanData> inTrace(String traceId) {
			return this.spans.stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

	@BeforeEach
	@AfterEach
	void emptyRedis() {
		this.redis.flush();
	}

	@Test
	void theReductionsSpanContinuesTheRequestsTraceAndShowsItsConflicts() {
		this.redis.commands().set("stock:traced", "10");

		reduce("traced").expectStatus().isOk().expectBody().jsonPath("$.attempts").isEqualTo(3);

		List<SpanData> trace = flushedTrace();
		SpanData server = trace.stream()
			.filter((span) -> PARENT_SPAN_ID.equals(span.getParentSpanId()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span continues the traceparent in " + trace));
		SpanData reduce = trace.stream()
			.filter((span) -> span.getName().equals("stock.reduce"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No stock.reduce span in " + trace));
		assertThat(reduce.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(reduce.getEvents().stream().map(EventData::getName)).containsExactly("attempt", "watched",
				"conflict", "attempt", "watched", "conflict", "attempt", "watched");
		assertThat(reduce.getAttributes().asMap().toString()).contains("stock.attempts=3", "stock.conflicts=2",
				"stock.outcome=success", "stock.sku=traced");
	}

	@Test
	void aLogLineWrittenWhileServingARequestCarriesItsTraceId(CapturedOutput output) {
		this.redis.commands().set("stock:broken", "garbage");

		reduce("broken").expectStatus().isEqualTo(500);

		assertThat(output.getOut().lines().filter((line) -> line.contains("Stock key of broken"))).singleElement()
			.asString()
			.contains(this.traceId);
	}

	@Test
	void withoutAnOtlpEndpointNothingIsExportedOrTriedOrLogged(CapturedOutput output) {
		this.redis.commands().set("stock:count", "10");

		reduce("count").expectStatus().isOk();
		flushedTrace();

		assertThat(this.context.getBeansOfType(SpanExporter.class).values()).containsExactly(this.collected);
		assertThat(output.getAll()).doesNotContainIgnoringCase("export").doesNotContain("4318", "4317");
	}

	@Test
	void redisCommandsAreTracedWithinARequestButNotAsTracesOfTheirOwn() {
		this.redis.commands().set("stock:count", "10");

		reduce("count").expectStatus().isOk();
		this.http.get()
			.uri("/stock/count")
			.header("traceparent", "00-" + this.traceId + "-" + PARENT_SPAN_ID + "-01")
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(flushedTrace()).anySatisfy((span) -> {
			assertThat(span.getName()).isEqualTo("get");
			assertThat(span.getParentSpanContext().isValid()).isTrue();
		});
		assertThat(this.collected.all())
			.filteredOn((span) -> "redis".equals(span.getAttributes().get(AttributeKey.stringKey("db.system"))))
			.isNotEmpty()
			.allSatisfy((span) -> assertThat(span.getParentSpanContext().isValid()).as(span.getName()).isTrue());
	}

	/**
	 * With tracing on, Boot would add trace exemplars to the metrics, which an older
	 * Prometheus (Debian's, in CI) refuses, dropping every scrape.
	 */
	@Test
	void theMetricsCarryNoTraceExemplars() {
		this.redis.commands().set("stock:count", "10");
		reduce("count").expectStatus().isOk();

		String metrics = this.http.get()
			.uri("/actuator/prometheus")
			.accept(MediaType.parseMediaType("application/openmetrics-text;version=1.0.0"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("http_server_requests_seconds_count").doesNotContain("trace_id");
	}

	RestTestClient.ResponseSpec reduce(String sku) {
		return this.http.post()
			.uri("/stock/reduce")
			.header("traceparent", "00-" + this.traceId + "-" + PARENT_SPAN_ID + "-01")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"" + sku + "\"}")
			.exchange();
	}

	/**
	 * The spans of the test's trace, once every finished span has reached the exporter.
	 */
	List<SpanData> flushedTrace() {
		assertThat(this.tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		return this.collected.inTrace(this.traceId);
	}

}
