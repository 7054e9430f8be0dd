package io.stockservice.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidSettingException} as Spring Boot's short "APPLICATION FAILED
 * TO START" block: the setting and the problem as the description, the fix as the action.
 * Boot then logs the stack trace at debug level only. Registered in
 * {@code META-INF/spring.factories}.
 */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		return new FailureAnalysis("Invalid setting " + cause.setting() + ": " + cause.problem(), cause.fix(), cause);
	}

}
