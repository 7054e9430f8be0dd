package io.stockservice.api;

import java.net.URI;
import java.util.List;

import io.stockservice.config.StockProperties;
import io.stockservice.stock.CorruptReservationException;
import io.stockservice.stock.CorruptStockException;
import io.stockservice.stock.ReduceOutcome;
import io.stockservice.stock.ReplicationException;
import io.stockservice.stock.StockUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error as {@code application/problem+json} (RFC 9457) with a stable {@code type}:
 * the API's own refusals, bad input (with {@code errors}: each field and its reason), and
 * Spring MVC's own errors (unknown path, wrong method, wrong media type). No response
 * carries a stack trace or an internal message.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	private static final Logger logger = LoggerFactory.getLogger(ProblemAdvice.class);

	private final String retryAfterSeconds;

	ProblemAdvice(StockProperties properties) {
		this.retryAfterSeconds = Long.toString(Math.max(1, properties.reduce().retryAfter().toSeconds()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(ReduceRefusedException ex) {
		ResponseEntity<ProblemDetail> response = respond(
				(ex.order() && ex.outcome() instanceof ReduceOutcome.Insufficient insufficient)
						? shortagesProblem(insufficient) : refusal(ex.outcome()));
		if (!ex.replayed()) {
			return response;
		}
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.headers((headers) -> StockController.markReplay(headers, true))
			.body(response.getBody());
	}

	/** The refusal of an order or a reservation: every item that does not fit. */
	private static ProblemDetail shortagesProblem(ReduceOutcome.Insufficient insufficient) {
		int short_ = insufficient.shortages().size();
		ProblemDetail problem = Problems.of(ProblemType.INSUFFICIENT_STOCK,
				((short_ == 1) ? "One item asks" : short_ + " items ask")
						+ " for more than is left (see shortages); nothing was taken");
		// The first shortage also as a single SKU's refusal names it, for clients that
		// read only those members.
		problem.setProperty("sku", insufficient.sku());
		problem.setProperty("requested", insufficient.requested());
		problem.setProperty("available", insufficient.available());
		problem.setProperty("attempts", insufficient.attempts());
		problem.setProperty("shortages", insufficient.shortages());
		return problem;
	}

	private static ProblemDetail refusal(ReduceOutcome outcome) {
		if (outcome instanceof ReduceOutcome.Insufficient insufficient) {
			ProblemDetail problem = Problems.of(ProblemType.INSUFFICIENT_STOCK, "Only " + insufficient.available()
					+ " of " + insufficient.sku() + " left; " + insufficient.requested() + " requested");
			problem.setProperty("sku", insufficient.sku());
			problem.setProperty("requested", insufficient.requested());
			problem.setProperty("available", insufficient.available());
			problem.setProperty("attempts", insufficient.attempts());
			return problem;
		}
		if (outcome instanceof ReduceOutcome.Contention contention) {
			ProblemDetail problem = Problems.of(ProblemType.CONTENTION, "Other clients kept changing the stock of "
					+ contention.sku() + "; nothing was taken. Try again later");
			problem.setProperty("sku", contention.sku());
			problem.setProperty("attempts", contention.attempts());
			return problem;
		}
		if (outcome instanceof ReduceOutcome.KeyReused reused) {
			ProblemDetail problem = Problems.of(ProblemType.IDEMPOTENCY_KEY_REUSED,
					"This Idempotency-Key was first used for a different request; nothing was taken");
			problem.setProperty("sku", reused.sku());
			return problem;
		}
		if (outcome instanceof ReduceOutcome.CorruptStock corrupt) {
			return corruptStockProblem(corrupt.sku());
		}
		if (outcome instanceof ReduceOutcome.CorruptRecord corrupt) {
			logger.error("Idempotency record {} holds a value that is not a record of this service; left untouched",
					corrupt.key());
			ProblemDetail problem = Problems.of(ProblemType.CORRUPT_IDEMPOTENCY_RECORD,
					"The idempotency record of this "
							+ "request in Redis is not one this service wrote. Nothing was taken and the key was left "
							+ "untouched; an operator must look at it (another application may write to it)");
			problem.setProperty("sku", corrupt.sku());
			problem.setProperty("key", corrupt.key());
			return problem;
		}
		return unknownSkuProblem(outcome.sku());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownReservation(UnknownReservationException ex) {
		return respond(ReservationProblems.unknown(ex.id()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> reservationEnded(ReservationEndedException ex) {
		return respond(ReservationProblems.ended(ex.reservation()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> reservationBusy(ReservationBusyException ex) {
		return respond(ReservationProblems.busy(ex.id(), ex.attempts()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> corruptReservation(CorruptReservationException ex) {
		logger.error("The hold of reservation {} is not one this service wrote; left untouched", ex.id());
		return respond(ReservationProblems.corrupt(ex.id()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownSku(UnknownSkuException ex) {
		return respond(unknownSkuProblem(ex.sku()));
	}

	private static ProblemDetail unknownSkuProblem(String sku) {
		ProblemDetail problem = Problems.of(ProblemType.UNKNOWN_SKU, "There is no stock for " + sku);
		problem.setProperty("sku", sku);
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidField(InvalidFieldException ex) {
		return respond(Problems.invalid(List.of(new FieldError(ex.field(), ex.reason()))));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> corrupt(CorruptStockException ex) {
		return respond(corruptStockProblem(ex.sku()));
	}

	private static ProblemDetail corruptStockProblem(String sku) {
		logger.error("Stock key of {} holds a value that is not a stock level; left untouched", sku);
		ProblemDetail problem = Problems.of(ProblemType.CORRUPT_STOCK, "The stock of " + sku
				+ " in Redis is not a non-negative integer. It was left untouched; set it with PUT /stock/" + sku);
		problem.setProperty("sku", sku);
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreplicated(ReplicationException ex) {
		logger.warn("Write not acknowledged for want of replicas: {}", ex.getMessage());
		if (!ex.applied()) {
			return respond(Problems.of(ProblemType.REDIS_UNAVAILABLE, "The stock store refused the request: too few "
					+ "replicas are connected to its master (min-replicas-to-write). Nothing was taken. Try again later"));
		}
		ProblemDetail problem = Problems.of(ProblemType.REDIS_UNAVAILABLE,
				"The stock store applied the request, but too few replicas confirmed it in time to be sure it "
						+ "survives a failover, so it is not acknowledged. Retry with the same Idempotency-Key");
		problem.setProperty("replicasRequired", ex.required());
		problem.setProperty("replicasConfirmed", ex.acknowledged());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unavailable(StockUnavailableException ex) {
		logger.warn("Redis unavailable: {}", ex.getMessage());
		return respond(Problems.of(ProblemType.REDIS_UNAVAILABLE,
				"The stock store did not answer; the request may or may not have been applied. Try again later"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> adminToken(AdminTokenException ex) {
		if (ex.reason() == AdminTokenException.Reason.REJECTED) {
			return respond(Problems.of(ProblemType.ACCESS_DENIED, "The bearer token is not the admin token"));
		}
		// RFC 6750: a challenge names the scheme; a request it cannot read is
		// invalid_request.
		String challenge = (ex.reason() == AdminTokenException.Reason.MALFORMED)
				? "Bearer realm=\"stock-service\", error=\"invalid_request\"" : "Bearer realm=\"stock-service\"";
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, challenge)
			.body(Problems.of(ProblemType.AUTHENTICATION_REQUIRED,
					"Setting, restocking and deleting stock need Authorization: Bearer <admin token>"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return respond(Problems.of(ProblemType.INTERNAL_ERROR, "The request failed; see the service log"));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> new FieldError(error.getField(), error.getDefaultMessage()))
			.toList();
		return asObject(respond(Problems.invalid(errors)));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> fieldErrors(result).stream())
			.toList();
		return asObject(respond(Problems.invalid(errors)));
	}

	private static List<FieldError> fieldErrors(ParameterValidationResult result) {
		if (result instanceof ParameterErrors errors) {
			return errors.getFieldErrors()
				.stream()
				.map((error) -> new FieldError(error.getField(), error.getDefaultMessage()))
				.toList();
		}
		RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
		String parameter = (header != null) ? header.name() : result.getMethodParameter().getParameterName();
		return result.getResolvableErrors()
			.stream()
			.map((error) -> new FieldError(parameter, error.getDefaultMessage()))
			.toList();
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ex.getBody().setDetail("Content-Type must be application/json");
		ex.getBody().setProperty("errors", List.of(new FieldError("Content-Type", "must be application/json")));
		return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		// Spring's own detail speaks of static resources, which the service has none of.
		ex.getBody().setDetail("There is nothing at /" + ex.getResourcePath());
		return super.handleNoResourceFoundException(ex, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return asObject(respond(Problems.invalid(List.of(JsonInputErrors.explain(ex)))));
	}

	/** Spring MVC's own errors keep their status and detail, and get a type of ours. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
			problem.setType(Problems.typeOf(statusCode));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus());
		if (problem.getStatus() == 503) {
			response.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds);
		}
		return response.body(problem);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
		return (ResponseEntity) response;
	}

}
