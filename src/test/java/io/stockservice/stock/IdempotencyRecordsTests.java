package io.stockservice.stock;

import java.util.List;

import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.Line;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.Shortage;
import io.stockservice.stock.ReduceOutcome.UnknownSku;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record grammar, which {@code reduce.lua} checks too: every record the service
 * writes reads back as the outcome it holds, and nothing else passes for one.
 */
class IdempotencyRecordsTests {

	@Test
	void aReductionSurvivesARoundTripThroughItsRecord() {
		Reduced reduced = new Reduced(List.of(new Line("a.b:c-d_e", 3, 97), new Line("z", 1, 0)), 2);
		String record = IdempotencyRecords.reduced(reduced.lines(), 2);

		IdempotencyRecords.Decoded decoded = IdempotencyRecords.decode(record, "a.b:c-d_e");

		assertThat(decoded.outcome()).isEqualTo(reduced);
		assertThat(decoded.sameRequest(new Claim(List.of(new Item("a.b:c-d_e", 3), new Item("z", 1)), "k"))).isTrue();
		assertThat(decoded.sameRequest(new Claim(List.of(new Item("a.b:c-d_e", 3), new Item("z", 2)), "k"))).isFalse();
		assertThat(decoded.sameRequest(new Claim(List.of(new Item("z", 1), new Item("a.b:c-d_e", 3)), "k"))).isFalse();
	}

	@Test
	void anInsufficientClaimKeepsEveryLevelAndReadsBackAsItsShortages() {
		Claim claim = new Claim(List.of(new Item("a", 2), new Item("b", 5)), "k");
		String record = IdempotencyRecords.insufficient(claim, List.of(3L, 4L), 1);

		assertThat(record).isEqualTo("I|1|a 2 3|b 5 4");
		assertThat(IdempotencyRecords.decode(record, "a").outcome())
			.isEqualTo(new Insufficient(List.of(new Shortage("b", 5, 4)), 1));
	}

	@Test
	void anUnknownSkuReadsBackAsTheFirstSkuWithoutStock() {
		Claim claim = new Claim(List.of(new Item("a", 2), new Item("b", 5)), "k");
		java.util.List<Long> levels = new java.util.ArrayList<>();
		levels.add(7L);
		levels.add(null);
		String record = IdempotencyRecords.unknown(claim, levels, 1);

		assertThat(record).isEqualTo("N|1|a 2 0|b 5 -1");
		assertThat(IdempotencyRecords.decode(record, "a").outcome()).isEqualTo(new UnknownSku("b", 1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "", "R|1|count 1 zz", "R|1|count 1", "R|0|count 1 5", "X|1|count 1 5",
			"R|1|count 0 5", "R|1|count 1 -1", "I|1|count 1 5", "N|1|count 1 5", "R|1|count 1 05",
			"R|1|count 1 5|count 1 5", "R|1|count 1 5|", "R|1|count{x} 1 5", "R|1|other 1 5", "R|1234567|count 1 5",
			"R|1|count 1 5 ", " R|1|count 1 5", "R|1|count  1 5", "R|1|count 12345678901234567 5" })
	void aValueThatIsNotARecordOfThisServiceForItsSkuIsRefused(String value) {
		assertThat(IdempotencyRecords.decode(value, "count")).isNull();
	}

	@Test
	void aRecordListsItsAnchorSkuAsItsSmallest() {
		assertThat(IdempotencyRecords.decode("R|1|b 1 5|a 1 5", "a")).isNotNull();
		assertThat(IdempotencyRecords.decode("R|1|b 1 5|a 1 5", "b")).isNull();
	}

}
