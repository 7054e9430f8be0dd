package io.stockservice.api;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the problem+json bodies (RFC 9457) of every error response, whether it comes
 * from the API ({@link ProblemAdvice}), from the servlet container's error page
 * ({@link ProblemErrorController}) or from Tomcat before any servlet ran
 * ({@link ProblemErrorReportValve}).
 */
final class Problems {

	private Problems() {
	}

	static ProblemDetail of(ProblemType type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
		problem.setType(type.type());
		problem.setTitle(type.title());
		return problem;
	}

	/** A 400 {@code invalid-request} listing each field at fault and why. */
	static ProblemDetail invalid(List<FieldError> errors) {
		String detail = errors.stream()
			.map((error) -> error.field() + ": " + error.reason())
			.reduce((a, b) -> a + "; " + b)
			.orElse("The request is invalid");
		ProblemDetail problem = of(ProblemType.INVALID_REQUEST, detail);
		problem.setProperty("errors", errors);
		return problem;
	}

	/**
	 * A problem for a status alone, as the container reports it: the status's own title
	 * and a type of ours, with no detail beyond what the status says.
	 */
	static ProblemDetail forStatus(HttpStatusCode status) {
		ProblemDetail problem = ProblemDetail.forStatus(status);
		problem.setType(typeOf(status));
		HttpStatus known = HttpStatus.resolve(status.value());
		problem.setTitle((known != null) ? known.getReasonPhrase() : "Error");
		return problem;
	}

	/** The type of a status that no problem of the API's own describes. */
	static URI typeOf(HttpStatusCode status) {
		return URI.create(ProblemType.BASE + switch (status.value()) {
			case 400 -> "invalid-request";
			case 401 -> "authentication-required";
			case 403 -> "access-denied";
			case 404 -> "not-found";
			case 405 -> "method-not-allowed";
			case 406 -> "not-acceptable";
			case 413 -> "payload-too-large";
			case 415 -> "unsupported-media-type";
			case 500 -> "internal-error";
			default -> "http-" + status.value();
		});
	}

}
