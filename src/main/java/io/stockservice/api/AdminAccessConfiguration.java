package io.stockservice.api;

import io.stockservice.config.StockProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Guards the admin operations with {@code stock.admin.token} when it is set, and warns at
 * start-up when it is not, except in the {@code local} profile, which is for a
 * developer's own machine.
 * <p>
 * A {@link org.springframework.web.servlet.HandlerInterceptor} rather than Spring
 * Security: one static bearer token on three handlers needs no filter chain, sessions,
 * CSRF or login page to switch off, and marking the handlers themselves
 * ({@link AdminOperation}) cannot drift from their mappings as a list of URL patterns
 * could.
 */
@Configuration(proxyBeanMethods = false)
class AdminAccessConfiguration implements WebMvcConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(AdminAccessConfiguration.class);

	private final StockProperties.Admin admin;

	AdminAccessConfiguration(StockProperties properties, Environment environment) {
		this.admin = properties.admin();
		if (!this.admin.required() && !environment.matchesProfiles("local")) {
			logger.warn("stock.admin.token (STOCK_ADMIN_TOKEN) is not set: every caller that reaches the service "
					+ "may set, restock and delete stock");
		}
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		if (this.admin.required()) {
			registry.addInterceptor(new AdminTokenInterceptor(this.admin.token()));
		}
	}

}
