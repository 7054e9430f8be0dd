package io.stockservice.api;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Explains why a body could not be read, naming the field where Jackson knows it, and
 * never echoing Jackson's own message (which quotes input and class names).
 */
final class JsonInputErrors {

	private JsonInputErrors() {
	}

	static FieldError explain(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (!(cause instanceof JacksonException json)) {
			return new FieldError("body", "is required and must be a JSON object");
		}
		String field = path(json);
		if (json instanceof UnrecognizedPropertyException unknown) {
			return new FieldError(join(field, unknown.getPropertyName()), "is not a known field");
		}
		if (json instanceof StreamConstraintsException) {
			return new FieldError("body", "exceeds the limits of a JSON request");
		}
		if (json instanceof InputCoercionException) {
			return new FieldError(field.isEmpty() ? "body" : field, "is out of range");
		}
		if (json instanceof MismatchedInputException mismatch && !field.isEmpty()) {
			return new FieldError(field, expectation(mismatch.getTargetType()));
		}
		if (json instanceof StreamReadException && field.isEmpty()) {
			return new FieldError("body", "is not valid JSON");
		}
		return field.isEmpty() ? new FieldError("body", "must be a JSON object")
				: new FieldError(field, "has an invalid value");
	}

	private static String expectation(Class<?> type) {
		if (type == null) {
			return "has an invalid value";
		}
		if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
			return "must be an integer";
		}
		if (type == String.class) {
			return "must be a string";
		}
		return "has an invalid value";
	}

	/**
	 * The path as bean validation names a field, so that both kinds of refusal name it
	 * alike: {@code items[1].quantity}.
	 */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (var reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append((path.length() > 0) ? "." : "").append(reference.getPropertyName());
			}
			else {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String join(String path, String property) {
		if (path.isEmpty() || path.equals(property)) {
			return property;
		}
		return path.endsWith("." + property) ? path : path + "." + property;
	}

}
