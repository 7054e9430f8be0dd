package io.stockservice.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.stockservice.fixture.RealRedisConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static io.stockservice.fixture.Problems.TYPES;
import static io.stockservice.fixture.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /v3/api-docs} cannot drift from the code or the README:
 * every route a controller of the service maps is in it (read from Spring MVC's own
 * handler mapping, so a route added later is checked without touching this test), every
 * status the README's API table lists for a call is documented for it, and every problem
 * type of the README's table has a schema with its {@code type}, status and members.
 * <p>
 * Runs with an admin token set (the context of {@link AdminTokenApiTests}), so that the
 * document is shown to need none while the admin calls still do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "stock.admin.token=" + AdminTokenApiTests.TOKEN)
@AutoConfigureRestTestClient
@Import(RealRedisConfiguration.class)
class OpenApiDocumentTests {

	static final JsonMapper json = JsonMapper.shared();

	@Autowired
	RestTestClient http;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	record Route(String method, String path, HandlerMethod handler) {

	}

	@Test
	void everyRouteTheControllersMapIsInTheDocumentAndNothingElseIs() {
		JsonNode paths = document().path("paths");
		List<Route> routes = routes();

		assertThat(routes).as("the service's routes").hasSizeGreaterThanOrEqualTo(5);
		for (Route route : routes) {
			assertThat(operation(paths, route.method(), route.path()).isObject())
				.as("%s %s is in the document", route.method(), route.path())
				.isTrue();
		}
		Set<String> documented = new TreeSet<>();
		paths.properties()
			.forEach((path) -> path.getValue()
				.propertyNames()
				.forEach((method) -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
		assertThat(documented).as("only the stock API, no actuator or error page")
			.isEqualTo(routes.stream()
				.map((route) -> route.method() + " " + route.path())
				.collect(Collectors.toCollection(TreeSet::new)));
	}

	@Test
	void everyStatusTheReadmeListsForACallIsDocumentedForIt() {
		JsonNode paths = document().path("paths");
		List<ReadmeTables.Call> calls = ReadmeTables.calls(ReadmeTables.readme());

		assertThat(calls).hasSizeGreaterThanOrEqualTo(5);
		for (ReadmeTables.Call call : calls) {
			JsonNode operation = operation(paths, call.method(), call.path());
			assertThat(operation.isObject()).as("README's %s %s is in the document", call.method(), call.path())
				.isTrue();
			Set<Integer> documented = operation.path("responses")
				.propertyNames()
				.stream()
				.map(Integer::valueOf)
				.collect(Collectors.toSet());
			assertThat(documented).as("statuses of %s %s", call.method(), call.path()).containsAll(call.statuses());
		}
	}

	@Test
	void everyProblemTypeOfTheReadmeHasASchemaWithItsTypeStatusAndMembers() {
		JsonNode schemas = document().path("components").path("schemas");
		List<ReadmeTables.ProblemRow> problems = ReadmeTables.problems(ReadmeTables.readme());

		for (ReadmeTables.ProblemRow problem : problems) {
			JsonNode own = problemSchema(schemas, TYPES + problem.slug());
			assertThat(own).as("a schema of %s", problem.slug()).isNotNull();
			assertThat(own.path("properties").path("status").path("enum").path(0).asInt()).as(problem.slug())
				.isEqualTo(problem.status());
			assertThat(own.path("properties").propertyNames()).as(problem.slug()).containsAll(problem.members());
		}
		Set<String> documented = new TreeSet<>();
		schemas.properties().forEach((schema) -> {
			JsonNode type = schema.getValue().path("allOf").path(1).path("properties").path("type").path("enum");
			if (!type.isMissingNode()) {
				documented.add(type.path(0).asString().substring(TYPES.length()));
			}
		});
		assertThat(documented).as("problem types documented and in the README alike")
			.isEqualTo(problems.stream()
				.map(ReadmeTables.ProblemRow::slug)
				.collect(Collectors.toCollection(TreeSet::new)));
	}

	@Test
	void everyErrorAnswerIsProblemJsonOfSchemasWithItsOwnStatus() {
		JsonNode document = document();
		JsonNode schemas = document.path("components").path("schemas");
		List<String> checked = new ArrayList<>();
		forEachOperation(document, (name, operation) -> operation.path("responses").properties().forEach((entry) -> {
			int status = Integer.parseInt(entry.getKey());
			if (status < 400) {
				return;
			}
			JsonNode schema = entry.getValue()
				.path("content")
				.path(MediaType.APPLICATION_PROBLEM_JSON_VALUE)
				.path("schema");
			List<JsonNode> refs = schema.has("oneOf") ? List.copyOf(schema.path("oneOf").values()) : List.of(schema);
			for (JsonNode ref : refs) {
				String schemaName = ref.path("$ref").asString().replace("#/components/schemas/", "");
				assertThat(schemas.path(schemaName)
					.path("allOf")
					.path(1)
					.path("properties")
					.path("status")
					.path("enum")
					.path(0)
					.asInt()).as("%s %d: %s", name, status, schemaName).isEqualTo(status);
			}
			checked.add(name + " " + status);
		}));
		assertThat(checked).contains("POST /stock/reduce 409", "GET /stock/{sku} 404", "PUT /stock/{sku} 401");
	}

	@Test
	void adminOperationsAndOnlyThoseNeedTheAdminBearerScheme() {
		JsonNode document = document();

		assertThat(document.path("components").path("securitySchemes").path("admin").path("scheme").asString())
			.isEqualTo("bearer");
		for (Route route : routes()) {
			JsonNode security = operation(document.path("paths"), route.method(), route.path()).path("security");
			boolean admin = route.handler().hasMethodAnnotation(AdminOperation.class);
			assertThat(security.path(0).has("admin")).as("%s %s", route.method(), route.path()).isEqualTo(admin);
		}
	}

	@Test
	void reduceDocumentsTheIdempotencyKeyAndTheHeadersOfItsAnswers() {
		JsonNode document = document();
		JsonNode reduce = operation(document.path("paths"), "POST", "/stock/reduce");
		JsonNode responses = reduce.path("responses");

		assertThat(reduce.path("parameters").values()).anySatisfy(
				(parameter) -> assertThat(parameter.path("name").asString() + " in " + parameter.path("in").asString())
					.isEqualTo("Idempotency-Key in header"));
		for (String replayed : List.of("200", "404", "409")) {
			assertThat(responses.path(replayed).path("headers").has("Idempotent-Replayed")).as(replayed).isTrue();
		}
		assertThat(responses.path("503").path("headers").has("Retry-After")).isTrue();
		assertThat(document.path("components").path("headers").propertyNames()).contains("Idempotent-Replayed",
				"Retry-After", "WWW-Authenticate");
		forEachOperation(document, (name, operation) -> {
			JsonNode unavailable = operation.path("responses").path("503");
			if (!unavailable.isMissingNode()) {
				assertThat(unavailable.path("headers").has("Retry-After")).as(name).isTrue();
			}
		});
	}

	@Test
	void theDocumentNeedsNoAdminTokenWhileTheAdminCallsStillDo() {
		this.http.get().uri("/v3/api-docs").exchange().expectStatus().isOk();

		assertProblem(this.http.delete().uri("/stock/count").exchange(), 401, "authentication-required");
	}

	JsonNode document() {
		String body = this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return json.readTree(body);
	}

	/**
	 * The routes of the service's own controllers: not springdoc's, not the error page.
	 */
	List<Route> routes() {
		List<Route> routes = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			Class<?> controller = mapping.getValue().getBeanType();
			if (!controller.getPackageName().startsWith("io.stockservice")
					|| ErrorController.class.isAssignableFrom(controller)) {
				continue;
			}
			Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
			assertThat(methods).as("%s names its methods", mapping.getValue()).isNotEmpty();
			for (String path : mapping.getKey().getPatternValues()) {
				methods.forEach((method) -> routes.add(new Route(method.name(), path, mapping.getValue())));
			}
		}
		return routes;
	}

	static JsonNode operation(JsonNode paths, String method, String path) {
		return paths.path(path).path(method.toLowerCase(Locale.ROOT));
	}

	static void forEachOperation(JsonNode document, java.util.function.BiConsumer<String, JsonNode> action) {
		document.path("paths")
			.properties()
			.forEach((path) -> path.getValue()
				.properties()
				.forEach((operation) -> action.accept(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
						operation.getValue())));
	}

	/** The part of a problem's schema that pins its type, or null. */
	static JsonNode problemSchema(JsonNode schemas, String type) {
		for (JsonNode schema : schemas.values()) {
			JsonNode own = schema.path("allOf").path(1);
			if (type.equals(own.path("properties").path("type").path("enum").path(0).asString(null))) {
				return own;
			}
		}
		return null;
	}

}
