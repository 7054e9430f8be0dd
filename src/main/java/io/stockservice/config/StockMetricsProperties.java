package io.stockservice.config;

import java.util.List;

import io.stockservice.stock.Sku;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code stock.metrics.*} settings.
 *
 * @param levelSkus the SKUs whose stock level is exported as the gauge
 * {@code stock.level{sku}}, at most {@value #MAX_LEVEL_SKUS}: a SKU tag is bounded only
 * because this list is
 */
@ConfigurationProperties("stock.metrics")
@Validated
public record StockMetricsProperties(@DefaultValue @NotNull @Size(
		max = MAX_LEVEL_SKUS) List<@NotNull @Pattern(regexp = Sku.PATTERN) String> levelSkus) {

	static final int MAX_LEVEL_SKUS = 50;

}
