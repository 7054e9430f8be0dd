package io.stockservice.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.stockservice.stock.Sku;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A SKU, as {@link Sku} defines it: 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}.
 */
@Documented
@Constraint(validatedBy = {})
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@NotNull
@Pattern(regexp = Sku.PATTERN)
@ReportAsSingleViolation
public @interface ValidSku {

	/** Why a value is not a SKU, as every refusal of one says it. */
	String MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	String message() default MESSAGE;

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
