package io.stockservice.api;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;

/**
 * The {@code Idempotency-Key} of a request: at most one, of 1 to 255 visible ASCII
 * characters. Read from the headers as sent, one value per header line: bound as a plain
 * {@code String}, two keys would arrive joined into one, {@code a,b}, and be taken for a
 * third.
 */
final class IdempotencyKeyHeader {

	static final String NAME = "Idempotency-Key";

	private static final Pattern VALID = Pattern.compile("[!-~]{1,255}");

	private IdempotencyKeyHeader() {
	}

	/**
	 * @return the key, or {@code null} if the request has none
	 * @throws InvalidFieldException if it has several, or one that is not a key
	 */
	static String from(HttpHeaders headers) {
		List<String> values = headers.getOrEmpty(NAME);
		if (values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			throw new InvalidFieldException(NAME, "must be sent once, was sent " + values.size() + " times");
		}
		String key = values.get(0);
		if (!VALID.matcher(key).matches()) {
			throw new InvalidFieldException(NAME, "must be 1 to 255 visible ASCII characters");
		}
		return key;
	}

}
