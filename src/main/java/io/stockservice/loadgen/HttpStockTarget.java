package io.stockservice.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reduces through the service's HTTP API, one request at a time on one keep-alive
 * connection. The service retries conflicts itself and reports how many transactions a
 * reduction took, so a worker's conflicts are the answers' {@code attempts - 1}.
 */
final class HttpStockTarget implements StockTarget {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String PROBLEMS = "https://stockservice.io/problems/";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final JsonMapper json = JsonMapper.shared();

	private final String base;

	private final String adminToken;

	HttpStockTarget(String base, String adminToken) {
		this.base = base;
		this.adminToken = adminToken;
	}

	@Override
	public void setStock(String sku, long level) {
		HttpRequest.Builder request = request("/stock/" + sku).PUT(body(new StockLevelBody(level)));
		if (this.adminToken != null) {
			request.header("Authorization", "Bearer " + this.adminToken);
		}
		HttpResponse<String> response = send(request.build());
		if (response.statusCode() != 200) {
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
		HttpResponse<String> response = send(reduceRequest(sku, quantity));
		int status = response.statusCode();
		if (status == 200) {
			JsonNode reduced = read(response);
			long attempts = reduced.path("attempts").asLong();
			return new Sale.Sold(reduced.path("available").asLong(), attempts, attempts - 1);
		}
		if (status == 409) {
			// The problem carries no attempts: the read that found too few was the one.
			JsonNode problem = read(response);
			long attempts = problem.path("attempts").asLong(1);
			return new Sale.SoldOut(problem.path("available").asLong(), attempts, attempts - 1);
		}
		if (status == 503) {
			JsonNode problem = read(response);
			if ((PROBLEMS + "contention").equals(problem.path("type").asString(""))) {
				// Every attempt of a contended reduction was aborted by another writer.
				long attempts = problem.path("attempts").asLong();
				return new Sale.Contended(attempts, attempts);
			}
		}
		// Unknown SKU, corrupt stock, or Redis unavailable (whether the reduction applied
		// is then unknown, so the run could prove nothing): the worker stops.
		throw refused(response);
	}

	/**
	 * The one place a reduction request is built: per-request headers (such as an
	 * idempotency key) belong here.
	 */
	HttpRequest reduceRequest(String sku, long quantity) {
		return request("/stock/reduce").POST(body(new ReduceBody(sku, quantity))).build();
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
