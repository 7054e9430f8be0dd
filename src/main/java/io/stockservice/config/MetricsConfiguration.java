package io.stockservice.config;

import io.stockservice.metrics.StockLevelMetrics;
import io.stockservice.metrics.TransactionConnectionMetrics;
import io.stockservice.stock.StockLevels;
import io.stockservice.redis.TransactionConnections;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meters that watch Redis rather than reductions: the transaction pool's connections
 * and the stock levels of the configured SKUs. Spring Boot binds every
 * {@code MeterBinder} bean to the registry.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StockMetricsProperties.class)
class MetricsConfiguration {

	@Bean
	TransactionConnectionMetrics transactionConnectionMetrics(TransactionConnections connections) {
		return new TransactionConnectionMetrics(connections);
	}

	@Bean
	StockLevelMetrics stockLevelMetrics(StockLevels levels, StockMetricsProperties properties) {
		return new StockLevelMetrics(levels, properties.levelSkus());
	}

}
