package io.stockservice.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A SKU: 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}. The set keeps keys readable
 * in {@code redis-cli}, free of glob characters ({@code * ? [}) and of the braces that
 * would make a Redis Cluster hash tag.
 */
@Documented
@Constraint(validatedBy = {})
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@NotNull
@Pattern(regexp = ValidSku.PATTERN)
@ReportAsSingleViolation
public @interface ValidSku {

	String PATTERN = "[A-Za-z0-9._:-]{1,64}";

	String message() default "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
