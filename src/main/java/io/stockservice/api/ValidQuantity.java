package io.stockservice.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Units one request may reduce or restock: 1 to {@code stock.max-quantity}. A
 * {@code null} passes; whether the field is required is the request's own business.
 */
@Documented
@Constraint(validatedBy = QuantityValidator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidQuantity {

	String message() default "must be between 1 and the configured maximum";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
