package io.stockservice.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client of the service's reservations, over one keep-alive connection: hold, then
 * confirm or release; and the stock, with its reserved units.
 */
final class HttpReservations {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final JsonMapper json = JsonMapper.shared();

	private final String base;

	HttpReservations(String base) {
		this.base = base;
	}

	/**
	 * @return the reservation's id, or {@code null} if it did not fit (409)
	 * @throws Busy on a 503 contention, which took nothing
	 * @throws IllegalStateException on any other answer
	 */
	String hold(String sku, long quantity, Duration ttl) {
		HttpResponse<String> response = send(request("/stock/reservations").POST(HttpRequest.BodyPublishers.ofString(
				"{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}],\"ttl\":\"" + ttl + "\"}")));
		return switch (response.statusCode()) {
			case 201 -> this.json.readTree(response.body()).path("id").asString();
			case 409 -> null;
			default -> throw refusedOrBusy(response);
		};
	}

	/**
	 * Confirms or releases the hold.
	 * @return the state it ended in: the one asked for, or {@code expired}
	 */
	String end(String id, boolean confirm) {
		HttpRequest.Builder request = request("/stock/reservations/" + id + (confirm ? "/confirm" : ""));
		HttpResponse<String> response = send(
				confirm ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.DELETE());
		if (response.statusCode() == 200 || response.statusCode() == 409) {
			JsonNode body = this.json.readTree(response.body());
			if (!body.path("state").isMissingNode()) {
				return body.path("state").asString();
			}
		}
		throw refusedOrBusy(response);
	}

	/** The SKU's {@code available} and {@code reserved}. */
	long[] stock(String sku) {
		HttpResponse<String> response = send(request("/stock/" + sku).GET());
		if (response.statusCode() != 200) {
			throw refusedOrBusy(response);
		}
		JsonNode stock = this.json.readTree(response.body());
		return new long[] { stock.path("available").asLong(), stock.path("reserved").asLong() };
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, application/problem+json");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		HttpRequest built = request.build();
		try {
			return this.http.send(built, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(built.method() + " " + built.uri() + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during " + built.method() + " " + built.uri(), ex);
		}
	}

	private static RuntimeException refusedOrBusy(HttpResponse<String> response) {
		if (response.statusCode() == 503 && response.body().contains("/problems/contention")) {
			return new Busy();
		}
		return new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
				+ response.statusCode() + ": " + response.body());
	}

	/** Every attempt lost its race to other writers: nothing changed; try again. */
	static final class Busy extends RuntimeException {

		Busy() {
			super("contention", null, false, false);
		}

	}

}
