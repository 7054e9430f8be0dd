package io.stockservice.config;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class StockMetricsPropertiesTests {

	final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Bind.class);

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(StockMetricsProperties.class)
	static class Bind {

	}

	@Test
	void watchesNoSkuUnlessTold() {
		this.context.run((context) -> assertThat(context.getBean(StockMetricsProperties.class).levelSkus()).isEmpty());
	}

	/** STOCK_METRICS_LEVELSKUS=hot,count in an environment arrives as one string. */
	@Test
	void readsACommaSeparatedList() {
		this.context.withPropertyValues("stock.metrics.level-skus=hot,count")
			.run((context) -> assertThat(context.getBean(StockMetricsProperties.class).levelSkus())
				.containsExactly("hot", "count"));
	}

	@Test
	void refusesASkuTheApiWouldRefuse() {
		this.context.withPropertyValues("stock.metrics.level-skus=hot,not a sku")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void refusesMoreSkusThanTheBound() {
		String tooMany = String.join(",",
				IntStream.rangeClosed(0, StockMetricsProperties.MAX_LEVEL_SKUS).mapToObj((i) -> "sku" + i).toList());
		this.context.withPropertyValues("stock.metrics.level-skus=" + tooMany)
			.run((context) -> assertThat(context).hasFailed());
	}

}
