package io.stockservice.stock;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StockLevelTests {

	@ParameterizedTest
	@ValueSource(strings = { "0", "1", "100", "9007199254740992" })
	void readsCanonicalLevelsUpTo2Pow53(String raw) {
		assertThat(StockLevel.parse("count", raw)).isEqualTo(Long.parseLong(raw));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-1", "007", " 5", "5 ", "+5", "1.5", "1e3", "abc", "9007199254740993",
			"99999999999999999999" })
	void refusesAnythingElseAsCorrupt(String raw) {
		assertThatExceptionOfType(CorruptStockException.class).isThrownBy(() -> StockLevel.parse("count", raw))
			.satisfies((ex) -> assertThat(ex.sku()).isEqualTo("count"));
	}

}
