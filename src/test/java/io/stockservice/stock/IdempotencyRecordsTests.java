package io.stockservice.stock;

import java.time.Duration;

import io.stockservice.stock.ReduceOutcome.Contention;
import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.UnknownSku;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class IdempotencyRecordsTests {

	@Test
	void everyDefinitiveOutcomeSurvivesARoundTripThroughItsRecord() {
		for (ReduceOutcome outcome : new ReduceOutcome[] { new Reduced("a.b:c-d_e", 3, 97, 2),
				new Insufficient("count", 5, 4, 1), new UnknownSku("none", 1) }) {
			long quantity = (outcome instanceof Reduced reduced) ? reduced.reduced()
					: (outcome instanceof Insufficient insufficient) ? insufficient.requested() : 7;
			String record = IdempotencyRecords.encode(outcome, quantity);

			assertThat(IdempotencyRecords.decode(record)).isEqualTo(outcome);
			assertThat(IdempotencyRecords.sameRequest(record, outcome.sku(), quantity)).isTrue();
			assertThat(IdempotencyRecords.sameRequest(record, outcome.sku(), quantity + 1)).isFalse();
			assertThat(IdempotencyRecords.sameRequest(record, outcome.sku() + "x", quantity)).isFalse();
		}
	}

	@Test
	void contentionIsNeverRecorded() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IdempotencyRecords.encode(new Contention("count", 20), 1));
	}

	@Test
	void aValueThatIsNotARecordIsReportedAsSuch() {
		assertThatIllegalStateException().isThrownBy(() -> IdempotencyRecords.decode("garbage"));
	}

	@Test
	void recordKeysLiveUnderTheirOwnPrefix() {
		assertThat(new IdempotencyRecords("idempotency:", Duration.ofHours(1)).keyOf("abc"))
			.isEqualTo("idempotency:abc");
	}

}
