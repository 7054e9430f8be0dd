package io.stockservice.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * Every kind of problem body a client can receive, as the OpenAPI document describes it:
 * the API's own ({@link ProblemType}) and the three of Spring MVC's own errors that get a
 * type of ours ({@link Problems#typeOf}). Each names the members it adds to RFC 9457's
 * {@code type}, {@code title}, {@code status}, {@code detail} and {@code instance}.
 *
 * @param slug the last segment of the {@code type} URI
 * @param title the problem's {@code title}
 * @param status its HTTP status
 * @param when when a client gets it
 * @param members the extra members, in the order {@link ProblemAdvice} sets them
 */
record ProblemKind(String slug, String title, HttpStatus status, String when, List<Member> members) {

	/** An extra member of a problem body. */
	enum Member {

		/** {@code errors: [{field, reason}]}: each field at fault and why. */
		ERRORS("errors"),
		/** {@code sku}: the SKU the request named. */
		SKU("sku"),
		/** {@code requested}: the units asked for. */
		REQUESTED("requested"),
		/** {@code available}: the units in stock when the answer was decided. */
		AVAILABLE("available"),
		/** {@code attempts}: the transactions the reduction took. */
		ATTEMPTS("attempts"),
		/** {@code key}: the Redis key at fault. */
		KEY("key"),
		/**
		 * {@code shortages: [{sku, requested, available}]}: every item of an order or a
		 * reservation that did not fit.
		 */
		SHORTAGES("shortages", false),
		/** {@code id}: the reservation the request named. */
		ID("id"),
		/** {@code state}: how the reservation ended. */
		STATE("state"),
		/**
		 * {@code replicasRequired}: replicas that must confirm a write
		 * ({@code stock.redis.replicas-to-ack}), when too few did.
		 */
		REPLICAS_REQUIRED("replicasRequired", false),
		/** {@code replicasConfirmed}: replicas that confirmed it in time. */
		REPLICAS_CONFIRMED("replicasConfirmed", false);

		private final String json;

		private final boolean always;

		Member(String json) {
			this(json, true);
		}

		Member(String json, boolean always) {
			this.json = json;
			this.always = always;
		}

		String json() {
			return this.json;
		}

		/** Whether every problem of its kind carries it (else only some do). */
		boolean always() {
			return this.always;
		}

	}

	static final ProblemKind NOT_FOUND = new ProblemKind("not-found", "Not Found", HttpStatus.NOT_FOUND,
			"nothing is mapped at the path", List.of());

	static final ProblemKind METHOD_NOT_ALLOWED = new ProblemKind("method-not-allowed", "Method Not Allowed",
			HttpStatus.METHOD_NOT_ALLOWED, "the path does not take this method; `Allow` lists those it does",
			List.of());

	static final ProblemKind UNSUPPORTED_MEDIA_TYPE = new ProblemKind("unsupported-media-type",
			"Unsupported Media Type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the body is not `application/json`",
			List.of(Member.ERRORS));

	URI type() {
		return URI.create(ProblemType.BASE + this.slug);
	}

	/** The kind of one of the API's own problems. */
	static ProblemKind of(ProblemType type) {
		// An exhaustive switch: a new ProblemType does not compile until it is described.
		return switch (type) {
			case INVALID_REQUEST ->
				kind(type, "a field is missing, malformed or out of range; a body that is not " + "a JSON object",
						Member.ERRORS);
			case AUTHENTICATION_REQUIRED -> kind(type, "an admin call without a (well-formed) bearer token");
			case ACCESS_DENIED -> kind(type, "an admin call with the wrong token");
			case PAYLOAD_TOO_LARGE -> kind(type, "a body over `stock.http.max-body-size`", Member.ERRORS);
			case UNKNOWN_SKU -> kind(type, "no stock exists for the SKU", Member.SKU);
			case INSUFFICIENT_STOCK -> kind(type,
					"fewer units left than requested; nothing taken (for an order or a reservation: of at least "
							+ "one item, the first of which `sku`, `requested` and `available` name, and `shortages` "
							+ "lists them all)",
					Member.SKU, Member.REQUESTED, Member.AVAILABLE, Member.ATTEMPTS, Member.SHORTAGES);
			case UNKNOWN_RESERVATION -> kind(type,
					"no reservation has the id (never made, or ended longer ago than `stock.reservations.retention`)",
					Member.ID);
			case RESERVATION_CONFIRMED ->
				kind(type, "a release of a reservation that was confirmed; nothing changed", Member.ID, Member.STATE);
			case RESERVATION_RELEASED ->
				kind(type, "a confirm of a reservation that was released; nothing changed", Member.ID, Member.STATE);
			case RESERVATION_EXPIRED -> kind(type,
					"a confirm or release of a reservation whose time ran out (it expired then, if no sweeper had "
							+ "yet); its units are back, nothing sold",
					Member.ID, Member.STATE);
			case CORRUPT_RESERVATION -> kind(type,
					"the reservation's hold holds something this service did not write; nothing changed, the key "
							+ "left untouched",
					Member.ID);
			case IDEMPOTENCY_KEY_REUSED -> kind(type,
					"the `Idempotency-Key` was first used for another SKU or quantity; nothing taken", Member.SKU);
			case CONTENTION ->
				kind(type, "every attempt lost its race to other writers, or the deadline passed; nothing taken",
						Member.SKU, Member.ATTEMPTS);
			case REDIS_UNAVAILABLE -> kind(type,
					"Redis is down, refused, or did not answer in time, or too few replicas confirmed the write "
							+ "(then with `replicasRequired` and `replicasConfirmed`); the outcome may be unknown",
					Member.REPLICAS_REQUIRED, Member.REPLICAS_CONFIRMED);
			case CORRUPT_STOCK -> kind(type, "the stock key holds something that is not a non-negative integer; it "
					+ "is left untouched (fix it with `PUT`)", Member.SKU);
			case CORRUPT_IDEMPOTENCY_RECORD ->
				kind(type,
						"the request's idempotency record holds something this "
								+ "service did not write; nothing taken, the key left untouched",
						Member.SKU, Member.KEY);
			case INTERNAL_ERROR -> kind(type, "anything unexpected; the detail never carries a stack trace");
		};
	}

	/** Every kind, the API's own first. */
	static List<ProblemKind> all() {
		List<ProblemKind> all = new ArrayList<>();
		for (ProblemType type : ProblemType.values()) {
			all.add(of(type));
		}
		all.addAll(List.of(NOT_FOUND, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE));
		return all;
	}

	private static ProblemKind kind(ProblemType type, String when, Member... members) {
		String slug = type.type().toString().substring(ProblemType.BASE.length());
		return new ProblemKind(slug, type.title(), type.status(), when, List.of(members));
	}

}
