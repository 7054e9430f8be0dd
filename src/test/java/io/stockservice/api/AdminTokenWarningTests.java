package io.stockservice.api;

import io.stockservice.config.StockProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service started without {@code stock.admin.token} says at start-up that anyone may
 * change its stock, unless it runs with the {@code local} profile, a developer's own.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminTokenWarningTests {

	static final String WARNING = "stock.admin.token (STOCK_ADMIN_TOKEN) is not set";

	final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Properties.class,
			AdminAccessConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(StockProperties.class)
	static class Properties {

	}

	@Test
	void warnsWithoutAToken(CapturedOutput output) {
		this.context.run((started) -> assertThat(started).hasNotFailed());

		assertThat(output).contains(WARNING);
	}

	@Test
	void staysQuietInTheLocalProfile(CapturedOutput output) {
		this.context.withPropertyValues("spring.profiles.active=local")
			.run((started) -> assertThat(started).hasNotFailed());

		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void staysQuietWithAToken(CapturedOutput output) {
		this.context.withPropertyValues("stock.admin.token=abc123")
			.run((started) -> assertThat(started).hasNotFailed());

		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void neverPrintsTheToken() {
		StockProperties.Admin admin = new StockProperties.Admin("abc123");

		assertThat(admin).hasToString("Admin[token=******]");
	}

}
