package io.stockservice.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reduces through the service's HTTP API, one request at a time on one keep-alive
 * connection. The service retries conflicts itself and reports how many transactions a
 * reduction took, so a worker's conflicts are the answers' {@code attempts - 1}. With
 * {@code --idempotent}, each reduction carries an {@code Idempotency-Key} and is sent
 * again, with the same key, after every 503 and timeout, until it is answered.
 */
final class HttpStockTarget implements StockTarget {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String PROBLEMS = "https://stockservice.io/problems/";

	/**
	 * The pause before a request is sent again. The service's Retry-After (whole seconds,
	 * at least 1) is meant for clients at large; a run keeps its retries brisk instead.
	 */
	private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

	// One request at a time per worker: the response is handled on the client's selector
	// thread instead of being handed to a pool thread and back, one hand-off fewer per
	// request.
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.executor(Runnable::run)
		.build();

	private final JsonMapper json = JsonMapper.shared();

	private final String base;

	private final String adminToken;

	private final boolean idempotent;

	HttpStockTarget(String base, String adminToken, boolean idempotent) {
		this.base = base;
		this.adminToken = adminToken;
		this.idempotent = idempotent;
	}

	@Override
	public void setStock(String sku, long level) {
		admin(request("/stock/" + sku).PUT(body(new StockLevelBody(level))), 200);
	}

	@Override
	public void delete(String sku) {
		admin(request("/stock/" + sku).DELETE(), 204);
	}

	/**
	 * Sends an admin call, with the bearer token when there is one, and checks its
	 * status.
	 */
	private void admin(HttpRequest.Builder request, int expectedStatus) {
		if (this.adminToken != null) {
			request.header("Authorization", "Bearer " + this.adminToken);
		}
		HttpResponse<String> response = send(request.build());
		if (response.statusCode() != expectedStatus) {
			throw refused(response);
		}
	}

	@Override
	public long stock(String sku) {
		HttpResponse<String> response = send(request("/stock/" + sku).GET().build());
		if (response.statusCode() != 200) {
			throw refused(response);
		}
		return read(response).path("available").asLong();
	}

	@Override
	public Sale sell(String sku, long quantity) {
		if (!this.idempotent) {
			return answer(send(reduceRequest(sku, quantity, null)), 0);
		}
		// One logical request: one key, sent until the service answers it for good. A 503
		// or a timeout says nothing of whether the reduction applied; the key makes it
		// safe to ask again, because the service answers a retry from what the first one
		// did.
		HttpRequest request = reduceRequest(sku, quantity, UUID.randomUUID().toString());
		for (long resent = 0;; resent++) {
			try {
				HttpResponse<String> response = send(request);
				if (response.statusCode() != 503) {
					return answer(response, resent);
				}
			}
			catch (UncheckedIOException ex) {
				// A timeout or a dropped connection: asked again below, like a 503.
			}
			pause(RETRY_PAUSE);
		}
	}

	private Sale answer(HttpResponse<String> response, long resent) {
		int status = response.statusCode();
		boolean replayed = response.headers().firstValue("Idempotent-Replayed").isPresent();
		if (status == 200) {
			JsonNode reduced = read(response);
			long attempts = reduced.path("attempts").asLong();
			return new Sale.Sold(reduced.path("available").asLong(), attempts, attempts - 1, resent, replayed);
		}
		if (status == 409) {
			JsonNode problem = read(response);
			long attempts = problem.path("attempts").asLong(1);
			return new Sale.SoldOut(problem.path("available").asLong(), attempts, attempts - 1, resent, replayed);
		}
		if (status == 503) {
			JsonNode problem = read(response);
			if ((PROBLEMS + "contention").equals(problem.path("type").asString(""))) {
				// Every attempt of a contended reduction was aborted by another writer.
				long attempts = problem.path("attempts").asLong();
				return new Sale.Contended(attempts, attempts);
			}
		}
		// Unknown SKU, corrupt stock, or Redis unavailable without --idempotent (whether
		// the reduction applied is then unknown, so the run could prove nothing): the
		// worker stops.
		throw refused(response);
	}

	/**
	 * The one place a reduction request is built.
	 * @param idempotencyKey the key of the logical request, or {@code null}
	 */
	private HttpRequest reduceRequest(String sku, long quantity, String idempotencyKey) {
		HttpRequest.Builder request = request("/stock/reduce").POST(body(new ReduceBody(sku, quantity)));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return request.build();
	}

	private static void pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to retry", ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, application/problem+json");
	}

	private HttpRequest.BodyPublisher body(Object value) {
		return HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(value));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			String why = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + why, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), ex);
		}
	}

	private JsonNode read(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw refused(response);
		}
	}

	private static IllegalStateException refused(HttpResponse<String> response) {
		return new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
				+ response.statusCode() + ": " + response.body());
	}

	@Override
	public void close() {
		// java.net.http.HttpClient has no close() before Java 21; its threads are
		// daemons.
	}

	record ReduceBody(String sku, long quantity) {
	}

	record StockLevelBody(long quantity) {
	}

}
