package io.stockservice.api;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import io.stockservice.StockServiceApplication;
import io.stockservice.config.StockProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The OpenAPI document of the stock API ({@code /v3/api-docs}, shown at
 * {@code /swagger-ui.html}; see docs/api.md). springdoc derives the operations and the
 * request and response bodies from the controllers; this adds what it cannot see: the
 * problem+json answers ({@link ProblemResponsesCustomizer}), the headers that go with
 * them, the admin bearer scheme, and the configured quantity limit.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String ADMIN_SCHEME = "admin";

	private static final String DESCRIPTION = """
			A Redis-backed inventory: `POST /stock/reduce` takes stock with optimistic locking and \
			bounded retries, and never oversells.

			Every error is `application/problem+json` (RFC 9457) with a stable `type` \
			(`https://stockservice.io/problems/<slug>`). Besides the answers listed per operation, any \
			call may get 404 `not-found` for an unknown path, 405 `method-not-allowed` for a wrong \
			method, 413 `payload-too-large` for a body over the limit and 415 `unsupported-media-type` \
			for a body that is not `application/json`. The schemas below describe every problem type.""";

	@Bean
	OpenAPI stockOpenApi() {
		String version = StockServiceApplication.class.getPackage().getImplementationVersion();
		Components components = new Components()
			.addSecuritySchemes(ADMIN_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("`Authorization: Bearer <stock.admin.token>`, for the calls that set, restock and "
						+ "delete stock. When the service runs without `stock.admin.token`, these calls are open."))
			.addHeaders(HttpHeaders.RETRY_AFTER,
					header("Seconds to wait before trying again (`stock.reduce.retry-after`)",
							ProblemSchemas.integer("int32", null)))
			.addHeaders(HttpHeaders.WWW_AUTHENTICATE,
					header("`Bearer realm=\"stock-service\"`, with `error=\"invalid_request\"` when the "
							+ "`Authorization` header is not a well-formed bearer token", ProblemSchemas.string(null)))
			.addHeaders(StockController.IDEMPOTENT_REPLAYED,
					header("`true` when this is the stored answer to an earlier request with the same "
							+ "`Idempotency-Key`; the request took nothing this time",
							ProblemSchemas.string(null)._enum(List.of("true"))));
		ProblemSchemas.addTo(components);
		return new OpenAPI().info(
				new Info().title("stock-service").version((version != null) ? version : "dev").description(DESCRIPTION))
			.components(components);
	}

	@Bean
	OperationCustomizer problemResponses() {
		return new ProblemResponsesCustomizer();
	}

	/**
	 * A quantity's range depends on {@code stock.max-quantity}, so springdoc cannot read
	 * it off {@link ValidQuantity}.
	 */
	@Bean
	PropertyCustomizer quantityRange(StockProperties properties) {
		return (schema, type) -> {
			if (type.getCtxAnnotations() != null && Arrays.stream(type.getCtxAnnotations())
				.anyMatch((annotation) -> annotation instanceof ValidQuantity)) {
				schema.minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(properties.maxQuantity()));
			}
			return schema;
		};
	}

	private static Header header(String description, Schema<?> schema) {
		return new Header().description(description).schema(schema);
	}

}
