package io.stockservice.api;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The OpenAPI schemas of the problem bodies: {@code Problem}, RFC 9457's members, and one
 * schema per {@link ProblemKind} that pins its {@code type} and {@code status} and adds
 * its members, so that a client generated from the document can switch on {@code type}.
 */
final class ProblemSchemas {

	static final String PROBLEM = "Problem";

	static final String FIELD_ERROR = "FieldError";

	private ProblemSchemas() {
	}

	/**
	 * Adds every problem's schema to the components, and a reusable response for each of
	 * Spring MVC's errors that no operation lists (an unknown path, a wrong method).
	 */
	static void addTo(Components components) {
		components.addSchemas(PROBLEM, problem());
		components.addSchemas(FIELD_ERROR, fieldError());
		for (ProblemKind kind : ProblemKind.all()) {
			components.addSchemas(name(kind), schema(kind));
		}
		for (ProblemKind kind : List.of(ProblemKind.NOT_FOUND, ProblemKind.METHOD_NOT_ALLOWED)) {
			components.addResponses(name(kind),
					new ApiResponse().description("`" + kind.slug() + "`: " + kind.when())
						.content(new Content().addMediaType(ProblemResponsesCustomizer.PROBLEM_JSON,
								new MediaType().schema(ref(kind)))));
		}
	}

	/** A reference to the schema of the kind's body. */
	@SuppressWarnings("rawtypes")
	static Schema ref(ProblemKind kind) {
		return new Schema<>().$ref(ref(name(kind)));
	}

	/**
	 * The schema's name: {@code insufficient-stock} is {@code InsufficientStockProblem}.
	 */
	static String name(ProblemKind kind) {
		StringBuilder name = new StringBuilder();
		for (String word : kind.slug().split("-")) {
			name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
		}
		return name.append(PROBLEM).toString();
	}

	private static Schema<?> problem() {
		return object("An RFC 9457 problem, sent as application/problem+json")
			.addProperty("type",
					string("Identifies the kind of problem; stable, for clients to switch on").format("uri"))
			.addProperty("title", string("A short summary of the kind of problem"))
			.addProperty("status", integer("int32", "The HTTP status"))
			.addProperty("detail", string("What went wrong with this request, in words for a person"))
			.addProperty("instance", string("The path of the request, when known").format("uri-reference"))
			.required(List.of("type", "title", "status"));
	}

	private static Schema<?> fieldError() {
		return object("One reason a request was refused")
			.addProperty("field",
					string("The JSON field, path variable or header at fault; `body` for the body "
							+ "as a whole, `request` for a request that is not well-formed HTTP"))
			.addProperty("reason", string("What is wrong with it"))
			.required(List.of("field", "reason"));
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> schema(ProblemKind kind) {
		Schema own = object(null).addProperty("type", string(null).format("uri")._enum(List.of(kind.type().toString())))
			.addProperty("title", string(null)._enum(List.of(kind.title())))
			.addProperty("status", integer("int32", null)._enum(List.of(kind.status().value())));
		for (ProblemKind.Member member : kind.members()) {
			own.addProperty(member.json(), member(member));
		}
		if (!kind.members().isEmpty()) {
			own.required(
					kind.members().stream().filter(ProblemKind.Member::always).map(ProblemKind.Member::json).toList());
		}
		return new Schema<>().description(kind.title() + " (" + kind.status().value() + "): " + kind.when())
			.allOf(List.of(new Schema<>().$ref(ref(PROBLEM)), own));
	}

	private static Schema<?> member(ProblemKind.Member member) {
		return switch (member) {
			case ERRORS -> array(new Schema<>().$ref(ref(FIELD_ERROR)), "Each field at fault and why");
			case SKU -> string("The SKU the request named");
			case REQUESTED -> integer("int64", "The units asked for");
			case AVAILABLE -> integer("int64", "The units in stock when the answer was decided");
			case ATTEMPTS -> integer("int32", "The transactions the reduction took");
			case KEY -> string("The Redis key at fault");
			case SHORTAGES -> array(
					object("An item that did not fit").addProperty("sku", string("The SKU"))
						.addProperty("requested", integer("int64", "The units asked for"))
						.addProperty("available", integer("int64", "The units there were"))
						.required(List.of("sku", "requested", "available")),
					"Every item of an order or a reservation that asked for more than was left");
			case ID -> string("The reservation the request named");
			case STATE -> string("How the reservation ended: confirmed, released or expired");
			case REPLICAS_REQUIRED ->
				integer("int32", "Replicas that must confirm a write (stock.redis.replicas-to-ack)");
			case REPLICAS_CONFIRMED -> integer("int64", "Replicas that confirmed the write in time");
		};
	}

	private static String ref(String schema) {
		return "#/components/schemas/" + schema;
	}

	// OpenAPI 3.1 writes a schema's `types`, 3.0 its `type`: set both, so that the
	// document is right whichever version springdoc is set to write. The schemas are raw
	// because an enum of the wrong value type is caught by the tests, not the compiler.

	@SuppressWarnings("rawtypes")
	static Schema object(String description) {
		return typed("object").description(description);
	}

	@SuppressWarnings("rawtypes")
	static Schema string(String description) {
		return typed("string").description(description);
	}

	@SuppressWarnings("rawtypes")
	static Schema integer(String format, String description) {
		return typed("integer").format(format).description(description);
	}

	@SuppressWarnings("rawtypes")
	static Schema array(Schema<?> items, String description) {
		return typed("array").items(items).description(description);
	}

	@SuppressWarnings("rawtypes")
	private static Schema typed(String type) {
		return new Schema().type(type).types(Set.of(type));
	}

}
