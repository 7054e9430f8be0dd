package io.stockservice.stock;

import java.util.List;
import java.util.Map;

import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.KeyReused;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.Replayed;
import io.stockservice.stock.ReduceOutcome.UnknownSku;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPlanTests {

	static List<Claim> claims(long... quantities) {
		return java.util.Arrays.stream(quantities).mapToObj(Claim::of).toList();
	}

	@Test
	void grantsClaimsInArrivalOrderEachSeeingWhatItLeaves() {
		BatchPlan plan = BatchPlan.of("count", 10, claims(3, 2, 5), Map.of());

		assertThat(plan.granted()).isEqualTo(10);
		assertThat(plan.remaining()).isZero();
		assertThat(plan.outcomes(1)).containsExactly(new Reduced("count", 3, 7, 1), new Reduced("count", 2, 5, 1),
				new Reduced("count", 5, 0, 1));
	}

	@Test
	void aClaimThatDoesNotFitTakesNothingAndLaterSmallerClaimsStillFit() {
		BatchPlan plan = BatchPlan.of("count", 5, claims(2, 4, 3, 1), Map.of());

		assertThat(plan.granted()).isEqualTo(5);
		assertThat(plan.outcomes(2)).containsExactly(new Reduced("count", 2, 3, 2), new Insufficient("count", 4, 3, 2),
				new Reduced("count", 3, 0, 2), new Insufficient("count", 1, 0, 2));
	}

	@Test
	void grantsNothingFromAnEmptyStockAndWritesNothingWithoutKeys() {
		BatchPlan plan = BatchPlan.of("count", 0, claims(1), Map.of());

		assertThat(plan.granted()).isZero();
		assertThat(plan.writes()).isFalse();
		assertThat(plan.outcomes(1)).containsExactly(new Insufficient("count", 1, 0, 1));
	}

	@Test
	void everyClaimOfAMissingSkuIsUnknown() {
		BatchPlan plan = BatchPlan.of("none", -1, claims(1, 2), Map.of());

		assertThat(plan.granted()).isZero();
		assertThat(plan.outcomes(1)).containsExactly(new UnknownSku("none", 1), new UnknownSku("none", 1));
	}

	@Test
	void aKeyedClaimsOutcomeBecomesARecordStampedWithTheAttempt() {
		BatchPlan plan = BatchPlan.of("count", 10, List.of(new Claim(3, "k1"), new Claim(20, "k2")), Map.of());

		assertThat(plan.writes()).isTrue();
		assertThat(plan.records(4)).containsExactly(Map.entry("k1", "R|3|7|4|count"),
				Map.entry("k2", "I|20|7|4|count"));
	}

	@Test
	void anInsufficientOrUnknownKeyedClaimStillWritesItsRecord() {
		assertThat(BatchPlan.of("count", 0, List.of(new Claim(1, "k")), Map.of()).writes()).isTrue();
		assertThat(BatchPlan.of("none", -1, List.of(new Claim(1, "k")), Map.of()).records(1))
			.containsExactly(Map.entry("k", "N|1|0|1|none"));
	}

	@Test
	void aClaimWhoseKeyHasARecordReplaysItAndTakesNothing() {
		BatchPlan plan = BatchPlan.of("count", 10, List.of(new Claim(3, "k"), Claim.of(1)),
				Map.of("k", "R|3|40|2|count"));

		assertThat(plan.granted()).isEqualTo(1);
		assertThat(plan.records(1)).isEmpty();
		assertThat(plan.outcomes(1)).containsExactly(new Replayed(new Reduced("count", 3, 40, 2), 1),
				new Reduced("count", 1, 9, 1));
	}

	@Test
	void aClaimWhoseKeyWasRecordedForAnotherQuantityIsRefused() {
		BatchPlan plan = BatchPlan.of("count", 10, List.of(new Claim(5, "k")), Map.of("k", "R|3|40|2|count"));

		assertThat(plan.granted()).isZero();
		assertThat(plan.outcomes(1)).containsExactly(new KeyReused("count", "k", 1));
	}

	@Test
	void aClaimWhoseKeyWasRecordedForAnotherSkuIsRefused() {
		BatchPlan plan = BatchPlan.of("count", 10, List.of(new Claim(3, "k")), Map.of("k", "R|3|40|2|other"));

		assertThat(plan.outcomes(1)).containsExactly(new KeyReused("count", "k", 1));
	}

	@Test
	void aRetryInsideTheSameBatchReplaysTheFirstClaimWithItsKey() {
		BatchPlan plan = BatchPlan.of("count", 10, List.of(new Claim(2, "k"), new Claim(2, "k"), new Claim(3, "k")),
				Map.of());

		assertThat(plan.granted()).isEqualTo(2);
		assertThat(plan.records(3)).containsExactly(Map.entry("k", "R|2|8|3|count"));
		assertThat(plan.outcomes(3)).containsExactly(new Reduced("count", 2, 8, 3),
				new Replayed(new Reduced("count", 2, 8, 3), 3), new KeyReused("count", "k", 3));
	}

}
