package io.stockservice.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.StockKeys;
import io.stockservice.stock.StockLevels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StockLevelMetricsTests {

	final TestRedis redis = TestRedis.shared();

	final AtomicLong nanos = new AtomicLong();

	final MeterRegistry registry = new SimpleMeterRegistry();

	TransactionClient client;

	@BeforeEach
	void bindGaugesForTwoSkus() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 2);
		StockLevels levels = new StockLevels(this.client.connections(), StockKeys.defaults(), Duration.ofSeconds(5));
		new StockLevelMetrics(levels, List.of("hot", "cold"), Duration.ofSeconds(1), this.nanos::get)
			.bindTo(this.registry);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	double level(String sku) {
		return this.registry.get("stock.level").tag("sku", sku).gauge().value();
	}

	@Test
	void exportsTheLevelInRedisOfEachConfiguredSku() {
		this.redis.commands().set("stock:hot", "42");
		this.redis.commands().set("stock:cold", "0");

		assertThat(level("hot")).isEqualTo(42);
		assertThat(level("cold")).isEqualTo(0);
	}

	@Test
	void registersNoGaugeForASkuThatIsNotConfigured() {
		this.redis.commands().set("stock:other", "5");

		assertThat(this.registry.find("stock.level").gauges()).hasSize(2);
		assertThat(this.registry.find("stock.level").tag("sku", "other").gauge()).isNull();
	}

	@Test
	void aSkuWithoutStockOrWithACorruptValueReadsNaN() {
		this.redis.commands().set("stock:cold", "garbage");

		assertThat(level("hot")).isNaN();
		assertThat(level("cold")).isNaN();
	}

	/**
	 * One MGET serves every gauge of a scrape: a change shows after maxAge, not before.
	 */
	@Test
	void reusesOneReadingForMaxAge() {
		this.redis.commands().set("stock:hot", "10");
		assertThat(level("hot")).isEqualTo(10);

		this.redis.commands().set("stock:hot", "9");
		this.nanos.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(level("hot")).isEqualTo(10);

		this.nanos.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(level("hot")).isEqualTo(9);
	}

}
