package io.stockservice.api;

import java.net.URI;
import java.util.List;

import io.stockservice.config.StockProperties;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: errors that never reached a controller (a filter
 * refused the request, or threw) come back as problem+json too, in place of Spring Boot's
 * default error body. It says only what the status says: no exception, message or stack
 * trace ever leaves the service.
 */
@RestController
@Hidden // the container's error page, not a part of the API
class ProblemErrorController implements ErrorController {

	private final long maxBodySize;

	ProblemErrorController(StockProperties properties) {
		this.maxBodySize = properties.http().maxBodySize().toBytes();
	}

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// Nothing to report when /error is asked for directly: there is nothing there.
		HttpStatusCode status = HttpStatusCode.valueOf((code instanceof Integer value) ? value : 404);
		ProblemDetail problem = switch (status.value()) {
			case 400 -> Problems.invalid(List.of(new FieldError("request", "is not a well-formed HTTP request")));
			case 413 -> payloadTooLarge();
			default -> Problems.forStatus(status);
		};
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (uri instanceof String path) {
			try {
				problem.setInstance(URI.create(path));
			}
			catch (IllegalArgumentException ex) {
				// A path that is no URI reference is better left out than failing the
				// error page.
			}
		}
		return ResponseEntity.status(status).body(problem);
	}

	private ProblemDetail payloadTooLarge() {
		ProblemDetail problem = Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
				"The request body is larger than " + this.maxBodySize + " bytes");
		problem.setProperty("errors",
				List.of(new FieldError("body", "must be at most " + this.maxBodySize + " bytes")));
		return problem;
	}

}
