package io.stockservice.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;

/**
 * Adds to each operation of the OpenAPI document the problems it can answer with, one
 * response per status, each naming the problem {@code type}s of that status and their
 * members (see {@link ProblemSchemas}); the headers that go with them
 * ({@code Retry-After} on a 503, {@code WWW-Authenticate} on a 401,
 * {@code Idempotent-Replayed} on the answers a retry with the same
 * {@code Idempotency-Key} replays); and the admin security scheme on an
 * {@link AdminOperation}.
 */
final class ProblemResponsesCustomizer implements OperationCustomizer {

	static final String PROBLEM_JSON = "application/problem+json";

	/** The answers recorded with an {@code Idempotency-Key}, and so replayed. */
	private static final Set<String> REPLAYED_STATUSES = Set.of("200", "201", "404", "409");

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		operation.setResponses(responses);
		Map<Integer, List<ProblemKind>> byStatus = new TreeMap<>();
		for (ProblemKind kind : kinds(operation, handler)) {
			byStatus.computeIfAbsent(kind.status().value(), (status) -> new ArrayList<>()).add(kind);
		}
		byStatus.forEach((status, kinds) -> responses.addApiResponse(Integer.toString(status), response(kinds)));
		if (handler.hasMethodAnnotation(AdminOperation.class)) {
			operation.addSecurityItem(new SecurityRequirement().addList(OpenApiConfiguration.ADMIN_SCHEME));
		}
		if (takesIdempotencyKey(operation)) {
			responses.forEach((status, response) -> {
				if (REPLAYED_STATUSES.contains(status)) {
					response.addHeaderObject(StockController.IDEMPOTENT_REPLAYED,
							ref(StockController.IDEMPOTENT_REPLAYED));
				}
			});
		}
		return operation;
	}

	private static Set<ProblemKind> kinds(Operation operation, HandlerMethod handler) {
		Set<ProblemKind> kinds = new LinkedHashSet<>();
		boolean body = operation.getRequestBody() != null;
		boolean parameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
		if (body || parameters) {
			kinds.add(ProblemKind.of(ProblemType.INVALID_REQUEST));
		}
		if (handler.hasMethodAnnotation(AdminOperation.class)) {
			kinds.add(ProblemKind.of(ProblemType.AUTHENTICATION_REQUIRED));
			kinds.add(ProblemKind.of(ProblemType.ACCESS_DENIED));
		}
		if (body) {
			kinds.add(ProblemKind.of(ProblemType.PAYLOAD_TOO_LARGE));
			kinds.add(ProblemKind.UNSUPPORTED_MEDIA_TYPE);
		}
		ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
		if (declared != null) {
			for (ProblemType type : declared.value()) {
				kinds.add(ProblemKind.of(type));
			}
		}
		kinds.add(ProblemKind.of(ProblemType.INTERNAL_ERROR));
		return kinds;
	}

	@SuppressWarnings("rawtypes")
	private static ApiResponse response(List<ProblemKind> kinds) {
		String description = kinds.stream()
			.map((kind) -> "`" + kind.slug() + "`: " + kind.when())
			.collect(Collectors.joining("; or "));
		List<Schema> schemas = kinds.stream().map(ProblemSchemas::ref).toList();
		Schema schema = (schemas.size() == 1) ? schemas.get(0) : new Schema<>().oneOf(schemas);
		ApiResponse response = new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(schema)));
		int status = kinds.get(0).status().value();
		if (status == 503) {
			response.addHeaderObject(HttpHeaders.RETRY_AFTER, ref(HttpHeaders.RETRY_AFTER));
		}
		if (status == 401) {
			response.addHeaderObject(HttpHeaders.WWW_AUTHENTICATE, ref(HttpHeaders.WWW_AUTHENTICATE));
		}
		return response;
	}

	private static boolean takesIdempotencyKey(Operation operation) {
		List<Parameter> parameters = operation.getParameters();
		return parameters != null && parameters.stream()
			.anyMatch((parameter) -> "header".equals(parameter.getIn())
					&& IdempotencyKeyHeader.NAME.equalsIgnoreCase(parameter.getName()));
	}

	private static Header ref(String header) {
		return new Header().$ref("#/components/headers/" + header);
	}

}
