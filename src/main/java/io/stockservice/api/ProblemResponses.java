package io.stockservice.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems a handler answers with besides those that follow from its signature, for
 * the OpenAPI document (see {@link OpenApiConfiguration}): naming the {@link ProblemType}
 * rather than a status and a URI keeps the document's status, {@code type} and members
 * those of the problem the handler really sends.
 * <p>
 * Left out because they are derived: {@code invalid-request} (any handler with a
 * parameter or body), {@code payload-too-large} and {@code unsupported-media-type} (a
 * body), {@code authentication-required} and {@code access-denied} (an
 * {@link AdminOperation}), and {@code internal-error} (every handler).
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface ProblemResponses {

	ProblemType[] value();

}
