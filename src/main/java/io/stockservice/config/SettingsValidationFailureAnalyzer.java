package io.stockservice.config;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Reports settings that fail the validation of a {@code @Validated} settings record (e.g.
 * {@code stock.reduce.max-attempts=0}) by the names a user writes. Spring Boot's own
 * report names a record's setting as the validator sees it,
 * {@code stock.reduce.maxAttempts}, without where it was set, and ends with "Update your
 * application's configuration"; this one names {@code stock.reduce.max-attempts}, its
 * value, where it came from, the rule it breaks, and its environment variable. Runs
 * before Boot's (registered in {@code META-INF/spring.factories}).
 */
class SettingsValidationFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		ValidationErrors errors = cause.getValidationErrors();
		StringBuilder description = new StringBuilder("Invalid settings under '" + errors.getName() + "':\n");
		StringBuilder variables = new StringBuilder();
		for (ObjectError error : errors) {
			if (error instanceof FieldError field) {
				String name = errors.getName() + "." + DataObjectPropertyName.toDashedForm(field.getField());
				description.append("\n    ")
					.append(name)
					.append(" = \"")
					.append(field.getRejectedValue())
					.append("\": ")
					.append(error.getDefaultMessage());
				ConfigurationProperty bound = bound(errors, name);
				if (bound != null && bound.getOrigin() != null) {
					description.append("\n        (set by ").append(bound.getOrigin()).append(")");
				}
				variables.append((variables.length() > 0) ? ", " : "").append(environmentVariable(name));
			}
			else {
				description.append("\n    ").append(errors.getName()).append(": ").append(error.getDefaultMessage());
			}
		}
		String action = "Change each setting above so that it passes, where it is set: application.yml, a "
				+ "--name=value argument, or the environment" + ((variables.length() > 0) ? " (" + variables + ")" : "")
				+ ".";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static ConfigurationProperty bound(ValidationErrors errors, String name) {
		if (!ConfigurationPropertyName.isValid(name)) {
			return null;
		}
		ConfigurationPropertyName wanted = ConfigurationPropertyName.of(name);
		return errors.getBoundProperties()
			.stream()
			.filter((property) -> property.getName().equals(wanted))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Boot's relaxed binding: {@code stock.reduce.max-attempts} is
	 * STOCK_REDUCE_MAXATTEMPTS.
	 */
	static String environmentVariable(String name) {
		return name.replace("-", "").replace("[", "_").replace("]", "").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
