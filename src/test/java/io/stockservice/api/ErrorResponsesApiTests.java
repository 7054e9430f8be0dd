package io.stockservice.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.stockservice.fixture.RealRedisConfiguration;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors that never reach a controller still come back as problem+json, and none of them
 * shows an exception, its message or a stack trace: Tomcat's own refusals of requests it
 * cannot parse (sent here over a raw socket, as no well-behaved client would send them),
 * an exception thrown by a filter, and the error page asked for directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import({ RealRedisConfiguration.class, ErrorResponsesApiTests.FailingFilter.class })
class ErrorResponsesApiTests {

	static final String SECRET = "redis://stock:hunter2@10.0.0.7";

	@LocalServerPort
	int port;

	@Autowired
	RestTestClient http;

	/** A filter that fails with an internal message, as a bug in one would. */
	@TestConfiguration(proxyBeanMethods = false)
	static class FailingFilter {

		@Bean
		FilterRegistrationBean<Filter> failingFilter() {
			Filter filter = (request, response, chain) -> {
				throw new IllegalStateException("Cannot reach " + SECRET);
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.addUrlPatterns("/test/failing-filter");
			return registration;
		}

	}

	@Test
	void anInvalidCharacterInThePathIsA400ProblemFromTomcatItself() throws IOException {
		String response = raw("GET /stock/{count} HTTP/1.1\r\nHost: localhost\r\n\r\n");

		assertProblem(response, 400, "invalid-request");
		assertThat(response).contains("\"field\":\"request\"");
	}

	@Test
	void aBrokenPercentEscapeIsA400Problem() throws IOException {
		assertProblem(raw("GET /stock/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, "invalid-request");
	}

	@Test
	void aHeaderOverTheLimitIsA400Problem() throws IOException {
		String huge = "x".repeat(20 * 1024);

		assertProblem(raw("GET /stock/count HTTP/1.1\r\nHost: localhost\r\nX-Huge: " + huge + "\r\n\r\n"), 400,
				"invalid-request");
	}

	@Test
	void anUnknownHttpVersionIsA505Problem() throws IOException {
		assertProblem(raw("GET /stock/count HTTP/9.9\r\nHost: localhost\r\n\r\n"), 505, "http-505");
	}

	@Test
	void anExceptionInAFilterIsA500ProblemThatKeepsItsMessageToItself() {
		String body = this.http.get()
			.uri("/test/failing-filter")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isEqualTo(500)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("https://stockservice.io/problems/internal-error");
		assertThat(body).doesNotContain(SECRET, "IllegalState", "Exception", "\tat ");
	}

	@Test
	void theErrorPageAskedForDirectlyIsNotFound() {
		this.http.get()
			.uri("/error")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("https://stockservice.io/problems/not-found");
	}

	@Test
	void aClientAskingForHtmlStillGetsAProblem() {
		this.http.get()
			.uri("/nothing/here")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	static void assertProblem(String response, int status, String type) {
		assertThat(response).startsWith("HTTP/1.1 " + status + " ");
		assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(response).contains("\"type\":\"https://stockservice.io/problems/" + type + "\"");
		assertThat(response).doesNotContain("<html", "Tomcat", "Exception", "\tat ");
	}

	/** Sends bytes no HTTP client library would, and reads the whole answer. */
	String raw(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			socket.shutdownOutput();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
