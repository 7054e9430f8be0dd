package io.stockservice.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.stockservice.stock.StockLevels;
import io.stockservice.stock.StockUnavailableException;

/**
 * {@code stock.level{sku}} and {@code stock.reserved{sku}}: the stock level, and the
 * units held by reservations, of each SKU named in {@code stock.metrics.level-skus}, and
 * of no other, so the number of series is what the operator configured rather than what
 * clients send.
 * <p>
 * The levels are read from Redis, not remembered from this instance's reductions: other
 * replicas, restocks and the article's own clients change them too. All gauges share one
 * reading (one MGET of the levels, one of the reserved units) that is reused for
 * {@code maxAge}, so a scrape costs two round trips however many SKUs are watched. A SKU
 * without stock, with a corrupt value, or while Redis cannot be read, reads NaN:
 * Prometheus stores the series with no value rather than a made-up 0.
 */
public final class StockLevelMetrics implements MeterBinder {

	private final StockLevels levels;

	private final List<String> skus;

	private final Duration maxAge;

	private final LongSupplier nanoClock;

	/** The last levels read, {@code null} before the first scrape. */
	private Map<String, Long> reading;

	/** The last units reserved read, with {@link #reading}. */
	private Map<String, Long> reservedReading;

	private long readAt;

	public StockLevelMetrics(StockLevels levels, List<String> skus, Duration maxAge, LongSupplier nanoClock) {
		this.levels = levels;
		this.skus = List.copyOf(skus);
		this.maxAge = maxAge;
		this.nanoClock = nanoClock;
	}

	public StockLevelMetrics(StockLevels levels, List<String> skus) {
		this(levels, skus, Duration.ofSeconds(1), System::nanoTime);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String sku : this.skus) {
			Gauge.builder("stock.level", this, (metrics) -> metrics.level(sku))
				.description("Units in stock, read from Redis, for the SKUs listed in stock.metrics.level-skus")
				.tag("sku", sku)
				.register(registry);
			Gauge.builder("stock.reserved", this, (metrics) -> metrics.reserved(sku))
				.description("Units held by reservations now, read from Redis, for the SKUs listed in "
						+ "stock.metrics.level-skus")
				.tag("sku", sku)
				.register(registry);
		}
	}

	private double reserved(String sku) {
		current();
		Long reserved = this.reservedReading.get(sku);
		return (reserved != null) ? reserved : Double.NaN;
	}

	private double level(String sku) {
		Long level = current().get(sku);
		return (level != null) ? level : Double.NaN;
	}

	private synchronized Map<String, Long> current() {
		long now = this.nanoClock.getAsLong();
		if (this.reading == null || now - this.readAt >= this.maxAge.toNanos()) {
			this.reading = readLevels(this.levels::levels);
			this.reservedReading = readLevels(this.levels::reserved);
			this.readAt = now;
		}
		return this.reading;
	}

	private Map<String, Long> readLevels(Function<List<String>, Map<String, Long>> read) {
		try {
			return read.apply(this.skus);
		}
		catch (StockUnavailableException ex) {
			return Map.of();
		}
	}

}
