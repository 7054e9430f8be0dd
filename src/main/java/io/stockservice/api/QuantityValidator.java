package io.stockservice.api;

import io.stockservice.config.StockProperties;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks a quantity against the configured maximum, which an annotation cannot hold. */
class QuantityValidator implements ConstraintValidator<ValidQuantity, Long> {

	private final long maxQuantity;

	QuantityValidator(StockProperties properties) {
		this.maxQuantity = properties.maxQuantity();
	}

	@Override
	public boolean isValid(Long quantity, ConstraintValidatorContext context) {
		if (quantity == null || (quantity >= 1 && quantity <= this.maxQuantity)) {
			return true;
		}
		context.disableDefaultConstraintViolation();
		context.buildConstraintViolationWithTemplate("must be between 1 and " + this.maxQuantity)
			.addConstraintViolation();
		return false;
	}

}
