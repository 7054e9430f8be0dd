package io.stockservice.api;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Reports as problem+json the errors Tomcat answers by itself, before any filter or
 * servlet runs, which would otherwise be Tomcat's HTML page: a request line or header it
 * cannot parse (an invalid character or escape in the path, a header over
 * {@code server.max-http-request-header-size}) is 400, an unknown HTTP version 505. It
 * replaces the host's {@link ErrorReportValve} (see {@link ProblemErrorPages}); like
 * Spring Boot's, it never shows an exception or a stack trace.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final JsonMapper json = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// As ErrorReportValve: only an error not yet reported, with nothing written yet.
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		ProblemDetail problem = (status == 400)
				? Problems.invalid(List.of(new FieldError("request", "is not a well-formed HTTP request")))
				: Problems.forStatus(HttpStatusCode.valueOf(status));
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(json.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is closed: nobody to tell.
		}
	}

}
