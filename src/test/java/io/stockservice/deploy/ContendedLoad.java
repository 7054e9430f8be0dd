package io.stockservice.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Load on a running service that fills every panel of the dashboard: several clients
 * reducing one hot SKU at once through the service, a rival client selling the same SKU
 * straight from Redis with the article's WATCH loop (as another instance would), so that
 * the service's transactions conflict, and one client asking for more than a scarce SKU
 * holds (409) and for a SKU that does not exist (404). It runs until closed, or for at
 * most three minutes.
 */
final class ContendedLoad implements AutoCloseable {

	private static final int HOT_CLIENTS = 6;

	private static final Duration LIMIT = Duration.ofMinutes(3);

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> clients = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final URI reduce;

	private final long stopAt = System.nanoTime() + LIMIT.toNanos();

	private ContendedLoad(int port) {
		this.reduce = URI.create("http://127.0.0.1:" + port + "/stock/reduce");
	}

	/**
	 * Starts the clients; the hot SKU and {@code scarce} (1 unit) must have stock.
	 * @param rival a connection of its own for the client that sells straight from Redis
	 */
	static ContendedLoad start(int port, String hotSku, StatefulRedisConnection<String, String> rival) {
		ContendedLoad load = new ContendedLoad(port);
		for (int i = 0; i < HOT_CLIENTS; i++) {
			load.client(List.of("{\"sku\":\"" + hotSku + "\"}"), Duration.ofMillis(2));
		}
		load.client(List.of("{\"sku\":\"scarce\",\"quantity\":2}", "{\"sku\":\"missing\"}"), Duration.ofMillis(50));
		load.rival(rival.sync(), "stock:" + hotSku);
		return load;
	}

	/** The article's client: WATCH, GET, MULTI, DECR, EXEC, again and again. */
	private void rival(RedisCommands<String, String> redis, String key) {
		Thread thread = new Thread(() -> {
			while (this.running.get() && System.nanoTime() < this.stopAt) {
				redis.watch(key);
				if (Long.parseLong(redis.get(key)) <= 0) {
					redis.unwatch();
					return;
				}
				redis.multi();
				redis.decr(key);
				redis.exec();
				sleep(Duration.ofMillis(1));
			}
		}, "contended-load-rival");
		thread.setDaemon(true);
		thread.start();
		this.clients.add(thread);
	}

	private void client(List<String> bodies, Duration pause) {
		Thread thread = new Thread(() -> {
			for (int i = 0; this.running.get() && System.nanoTime() < this.stopAt; i++) {
				post(bodies.get(i % bodies.size()));
				sleep(pause);
			}
		}, "contended-load-" + this.clients.size());
		thread.setDaemon(true);
		thread.start();
		this.clients.add(thread);
	}

	private void post(String body) {
		HttpRequest request = HttpRequest.newBuilder(this.reduce)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			this.http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			// Counted by the service if it got that far; the load goes on.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running.set(false);
		}
	}

	private void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running.set(false);
		}
	}

	@Override
	public void close() {
		this.running.set(false);
		for (Thread client : this.clients) {
			try {
				client.join(Duration.ofSeconds(15).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
