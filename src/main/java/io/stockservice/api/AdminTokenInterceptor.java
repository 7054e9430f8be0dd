package io.stockservice.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets an {@link AdminOperation} run only for a caller whose
 * {@code Authorization: Bearer <token>} carries the admin token; refuses it otherwise
 * with an {@link AdminTokenException}, which {@link ProblemAdvice} answers with 401 or
 * 403.
 * <p>
 * It runs once the handler is known and before the body is read or validated, so a caller
 * without the token learns nothing about what a valid request would look like. Both
 * tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes
 * the same time wherever the first difference lies; comparing digests, always 32 bytes,
 * also keeps the token's length from showing in the time taken.
 */
final class AdminTokenInterceptor implements HandlerInterceptor {

	/** RFC 6750's credentials: the scheme (any case) and a token68. */
	private static final Pattern BEARER = Pattern.compile("Bearer +([A-Za-z0-9._~+/-]+=*) *", Pattern.CASE_INSENSITIVE);

	private final byte[] expected;

	AdminTokenInterceptor(String token) {
		this.expected = sha256(token);
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || !method.hasMethodAnnotation(AdminOperation.class)) {
			return true;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			throw new AdminTokenException(AdminTokenException.Reason.MISSING);
		}
		Matcher bearer = BEARER.matcher(authorization);
		if (!bearer.matches()) {
			throw new AdminTokenException(AdminTokenException.Reason.MALFORMED);
		}
		if (!MessageDigest.isEqual(this.expected, sha256(bearer.group(1)))) {
			throw new AdminTokenException(AdminTokenException.Reason.REJECTED);
		}
		return true;
	}

	private static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
