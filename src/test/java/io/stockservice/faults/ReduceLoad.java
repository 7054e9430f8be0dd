package io.stockservice.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAccumulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients calling {@code POST /stock/reduce} in a loop, as fast as they are answered,
 * each asking for 1 to 3 units of one of the given SKUs, and a {@link Tally} per SKU of
 * how every call ended.
 * <p>
 * Plain clients call once per logical request. Idempotent clients send each logical
 * request with an {@code Idempotency-Key} of its own and retry it, with the same key,
 * after every 503 and every timeout, until it gets a definitive answer (200 or 409); so
 * none of their requests is left in doubt.
 */
final class ReduceLoad implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.shared();

	private static final Duration PAUSE_BEFORE_RETRY = Duration.ofMillis(20);

	private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

	private final HttpClient http;

	private final URI reduce;

	private final Duration requestTimeout;

	private final boolean idempotent;

	private final List<String> skus;

	private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

	private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

	/** The longest call, answered or not, in nanoseconds. */
	private final LongAccumulator slowest = new LongAccumulator(Math::max, 0);

	/** When the longest call started and how it ended, for a failure's message. */
	private volatile String slowestCall = "none";

	private final ExecutorService clients;

	private final List<Future<?>> running = new ArrayList<>();

	private volatile boolean stopping;

	private ReduceLoad(URI service, int clients, Duration requestTimeout, boolean idempotent, List<String> skus) {
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		this.reduce = service.resolve("/stock/reduce");
		this.requestTimeout = requestTimeout;
		this.idempotent = idempotent;
		this.skus = skus;
		skus.forEach((sku) -> this.tallies.put(sku, new Tally()));
		this.clients = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			this.running.add(this.clients.submit(this::run));
		}
	}

	/** Starts clients that send each request once. */
	static ReduceLoad plain(URI service, int clients, Duration requestTimeout, String... skus) {
		return new ReduceLoad(service, clients, requestTimeout, false, List.of(skus));
	}

	/**
	 * Starts clients that retry each request with its Idempotency-Key until it is
	 * answered.
	 */
	static ReduceLoad idempotent(URI service, int clients, Duration requestTimeout, String... skus) {
		return new ReduceLoad(service, clients, requestTimeout, true, List.of(skus));
	}

	Tally tally(String sku) {
		return this.tallies.get(sku);
	}

	/** The longest any call took, from sending to its answer or failure. */
	Duration slowest() {
		return Duration.ofNanos(this.slowest.get());
	}

	/** Forgets the calls so far for {@link #slowest()}, e.g. those of a cold start. */
	void resetSlowest() {
		this.slowest.reset();
		this.slowestCall = "none";
	}

	/** When the longest call started, how long it took and how it ended. */
	String slowestCall() {
		return this.slowestCall;
	}

	/** Answers that no client should ever get (anything but 200, 409, 503, corrupt). */
	List<String> unexpected() {
		return List.copyOf(this.unexpected);
	}

	/**
	 * Lets every client finish the request it is on (an idempotent one: until answered)
	 * and waits for all of them.
	 * @throws IllegalStateException if a client is still busy a minute later: a request
	 * hung
	 */
	void stop() {
		this.stopping = true;
		this.clients.shutdown();
		try {
			for (Future<?> client : this.running) {
				client.get(GIVE_UP_AFTER.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("A client did not finish: a request hung", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.stopping = true;
		this.clients.shutdownNow();
	}

	private void run() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		while (!this.stopping) {
			String sku = this.skus.get(random.nextInt(this.skus.size()));
			long quantity = random.nextLong(1, 4);
			if (this.idempotent) {
				untilAnswered(sku, quantity, UUID.randomUUID().toString());
			}
			else {
				this.tallies.get(sku).record(quantity, call(sku, quantity, null));
			}
		}
	}

	private void untilAnswered(String sku, long quantity, String key) {
		Tally tally = this.tallies.get(sku);
		long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
		for (int attempt = 1;; attempt++) {
			Answer answer = call(sku, quantity, key);
			if (!answer.inDoubt() && !answer.isContention()) {
				tally.record(quantity, answer);
				return;
			}
			if (System.nanoTime() > giveUp) {
				this.unexpected.add("Gave up on " + key + " after " + attempt + " attempts: " + answer);
				return;
			}
			tally.retried();
			pause();
		}
	}

	private Answer call(String sku, long quantity, String key) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.reduce)
			.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}"));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		long start = System.nanoTime();
		java.time.Instant startedAt = java.time.Instant.now();
		Answer answer = null;
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			answer = Answer.of(response);
			if (answer.kind() == Answer.Kind.UNEXPECTED) {
				this.unexpected.add(response.statusCode() + " " + response.body());
			}
			return answer;
		}
		catch (HttpTimeoutException ex) {
			return new Answer(Answer.Kind.TIMED_OUT, 0, false);
		}
		catch (IOException ex) {
			return new Answer(Answer.Kind.FAILED, 0, false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer(Answer.Kind.FAILED, 0, false);
		}
		finally {
			long took = System.nanoTime() - start;
			if (took > this.slowest.get()) {
				this.slowestCall = "started " + startedAt + ", took " + Duration.ofNanos(took).toMillis() + " ms, "
						+ ((answer != null) ? answer.kind() : "no answer");
			}
			this.slowest.accumulate(took);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(PAUSE_BEFORE_RETRY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** How one call ended. */
	record Answer(Kind kind, long reduced, boolean replayed) {

		enum Kind {

			/** 200: the units were taken. */
			REDUCED,
			/** 409: too few left, nothing taken. */
			INSUFFICIENT,
			/** 503 contention: nothing taken. */
			CONTENTION,
			/** 503 redis-unavailable: taken or not, nobody knows. */
			UNAVAILABLE,
			/** 500 corrupt-stock: nothing taken. */
			CORRUPT,
			/** No answer in time: taken or not, nobody knows. */
			TIMED_OUT,
			/** The connection failed: taken or not, nobody knows. */
			FAILED,
			/** Anything else. */
			UNEXPECTED

		}

		static Answer of(HttpResponse<String> response) {
			String type = problemType(response);
			boolean replayed = response.headers().firstValue("Idempotent-Replayed").isPresent();
			return switch (response.statusCode()) {
				case 200 -> new Answer(Kind.REDUCED, json.readTree(response.body()).get("reduced").asLong(), replayed);
				case 409 ->
					new Answer(type.endsWith("/insufficient-stock") ? Kind.INSUFFICIENT : Kind.UNEXPECTED, 0, replayed);
				case 503 -> new Answer(type.endsWith("/contention") ? Kind.CONTENTION
						: type.endsWith("/redis-unavailable") ? Kind.UNAVAILABLE : Kind.UNEXPECTED, 0, false);
				case 500 -> new Answer(type.endsWith("/corrupt-stock") ? Kind.CORRUPT : Kind.UNEXPECTED, 0, false);
				default -> new Answer(Kind.UNEXPECTED, 0, false);
			};
		}

		private static String problemType(HttpResponse<String> response) {
			if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
				return "";
			}
			JsonNode type = json.readTree(response.body()).get("type");
			return (type != null) ? type.asString() : "";
		}

		/** Whether the units may or may not have been taken. */
		boolean inDoubt() {
			return this.kind == Kind.UNAVAILABLE || this.kind == Kind.TIMED_OUT || this.kind == Kind.FAILED;
		}

		boolean isContention() {
			return this.kind == Kind.CONTENTION;
		}

	}

}
