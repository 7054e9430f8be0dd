package io.stockservice.stock;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.stockservice.stock.ReduceOutcome.CorruptRecord;
import io.stockservice.stock.ReduceOutcome.CorruptStock;
import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.KeyReused;
import io.stockservice.stock.ReduceOutcome.Line;
import io.stockservice.stock.ReduceOutcome.Reduced;
import io.stockservice.stock.ReduceOutcome.Replayed;
import io.stockservice.stock.ReduceOutcome.Shortage;
import io.stockservice.stock.ReduceOutcome.UnknownSku;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch is decided from one reading, before anything is written. */
class BatchPlanTests {

	static final StockKeys keys = StockKeys.defaults();

	static List<Claim> claims(String sku, long... quantities) {
		return Arrays.stream(quantities).mapToObj((quantity) -> Claim.of(sku, quantity)).toList();
	}

	static Map<String, Found> stock(Object... skuAndValue) {
		Map<String, Found> stocks = new LinkedHashMap<>();
		for (int i = 0; i < skuAndValue.length; i += 2) {
			Object value = skuAndValue[i + 1];
			stocks.put((String) skuAndValue[i], (value instanceof Found found) ? found : Found.of((String) value));
		}
		return stocks;
	}

	static String record(String sku, String key) {
		return keys.record(sku, key);
	}

	static BatchPlan plan(List<Claim> claims, Map<String, Found> stocks, Map<String, Found> records) {
		return BatchPlan.of(claims, stocks, records, keys, false);
	}

	@Test
	void grantsClaimsInArrivalOrderEachSeeingWhatItLeaves() {
		BatchPlan plan = plan(claims("count", 3, 2, 5), stock("count", "10"), Map.of());

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 10L));
		assertThat(plan.remaining("count")).isZero();
		assertThat(plan.outcomes(1)).containsExactly(new Reduced("count", 3, 7, 1), new Reduced("count", 2, 5, 1),
				new Reduced("count", 5, 0, 1));
	}

	@Test
	void aClaimThatDoesNotFitTakesNothingAndLaterSmallerClaimsStillFit() {
		BatchPlan plan = plan(claims("count", 2, 4, 3, 1), stock("count", "5"), Map.of());

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 5L));
		assertThat(plan.outcomes(2)).containsExactly(new Reduced("count", 2, 3, 2), new Insufficient("count", 4, 3, 2),
				new Reduced("count", 3, 0, 2), new Insufficient("count", 1, 0, 2));
	}

	@Test
	void grantsNothingFromAnEmptyStockAndWritesNothingWithoutKeys() {
		BatchPlan plan = plan(claims("count", 1), stock("count", "0"), Map.of());

		assertThat(plan.decrements()).isEmpty();
		assertThat(plan.writes()).isFalse();
		assertThat(plan.outcomes(1)).containsExactly(new Insufficient("count", 1, 0, 1));
	}

	@Test
	void everyClaimOfAMissingSkuIsUnknown() {
		BatchPlan plan = plan(claims("none", 1, 2), stock("none", Found.NOTHING), Map.of());

		assertThat(plan.decrements()).isEmpty();
		assertThat(plan.outcomes(1)).containsExactly(new UnknownSku("none", 1), new UnknownSku("none", 1));
	}

	@Test
	void aKeyedClaimsOutcomeBecomesARecordStampedWithTheAttempt() {
		BatchPlan plan = plan(List.of(Claim.keyed("count", 3, "k1"), Claim.keyed("count", 20, "k2")),
				stock("count", "10"), Map.of());

		assertThat(plan.writes()).isTrue();
		assertThat(plan.records(4)).containsExactly(Map.entry(record("count", "k1"), "R|4|count 3 7"),
				Map.entry(record("count", "k2"), "I|4|count 20 7"));
	}

	@Test
	void anInsufficientOrUnknownKeyedClaimStillWritesItsRecord() {
		assertThat(plan(List.of(Claim.keyed("count", 1, "k")), stock("count", "0"), Map.of()).writes()).isTrue();
		assertThat(plan(List.of(Claim.keyed("none", 1, "k")), stock("none", Found.NOTHING), Map.of()).records(1))
			.containsExactly(Map.entry(record("none", "k"), "N|1|none 1 -1"));
	}

	@Test
	void aClaimWhoseKeyHasARecordReplaysItAndTakesNothing() {
		BatchPlan plan = plan(List.of(Claim.keyed("count", 3, "k"), Claim.of("count", 1)), stock("count", "10"),
				Map.of(record("count", "k"), Found.of("R|2|count 3 40")));

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 1L));
		assertThat(plan.records(1)).isEmpty();
		assertThat(plan.outcomes(1)).containsExactly(new Replayed(new Reduced("count", 3, 40, 2), 1),
				new Reduced("count", 1, 9, 1));
	}

	@Test
	void aReplayedRecordIsRewrittenWhenReplicasMustConfirmTheAnswer() {
		List<Claim> claims = List.of(Claim.keyed("count", 3, "k"));
		Map<String, Found> records = Map.of(record("count", "k"), Found.of("R|2|count 3 40"));

		BatchPlan confirmed = BatchPlan.of(claims, stock("count", "10"), records, keys, true);

		assertThat(confirmed.touches()).containsExactly(Map.entry(record("count", "k"), "R|2|count 3 40"));
		assertThat(confirmed.writes()).isTrue();
		assertThat(plan(claims, stock("count", "10"), records).writes()).isFalse();
	}

	@Test
	void aClaimWhoseKeyWasRecordedForAnotherQuantityIsRefused() {
		BatchPlan plan = plan(List.of(Claim.keyed("count", 5, "k")), stock("count", "10"),
				Map.of(record("count", "k"), Found.of("R|2|count 3 40")));

		assertThat(plan.decrements()).isEmpty();
		assertThat(plan.outcomes(1)).containsExactly(new KeyReused("count", "k", 1));
	}

	@Test
	void aRetryInsideTheSameBatchReplaysTheFirstClaimWithItsKey() {
		BatchPlan plan = plan(
				List.of(Claim.keyed("count", 2, "k"), Claim.keyed("count", 2, "k"), Claim.keyed("count", 3, "k")),
				stock("count", "10"), Map.of());

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 2L));
		assertThat(plan.records(3)).containsExactly(Map.entry(record("count", "k"), "R|3|count 2 8"));
		assertThat(plan.outcomes(3)).containsExactly(new Reduced("count", 2, 8, 3),
				new Replayed(new Reduced("count", 2, 8, 3), 3), new KeyReused("count", "k", 3));
	}

	/** Bad data fails the claims that depend on it, and only those. */
	@Test
	void aRecordOfAnotherTypeFailsItsOwnClaimAloneAndTheOthersAreServed() {
		BatchPlan plan = plan(List.of(Claim.of("count", 1), Claim.keyed("count", 5, "bad"), Claim.of("count", 2)),
				stock("count", "10"), Map.of(record("count", "bad"), Found.WRONG_TYPE));

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 3L));
		assertThat(plan.records(1)).isEmpty();
		assertThat(plan.outcomes(1)).containsExactly(new Reduced("count", 1, 9, 1),
				new CorruptRecord("count", record("count", "bad"), 1), new Reduced("count", 2, 7, 1));
	}

	@Test
	void anUndecodableRecordThatLooksLikeThisRequestIsCorruptAndTakesNothing() {
		BatchPlan plan = plan(List.of(Claim.keyed("count", 1, "k"), Claim.of("count", 5)), stock("count", "99"),
				Map.of(record("count", "k"), Found.of("R|1|count 1 zz")));

		assertThat(plan.decrements()).containsExactly(Map.entry("count", 5L));
		assertThat(plan.outcomes(1)).containsExactly(new CorruptRecord("count", record("count", "k"), 1),
				new Reduced("count", 5, 94, 1));
	}

	@Test
	void aRecordNamingAnotherSkuIsCorruptBecauseNoneOfOursCouldLieUnderThatKey() {
		BatchPlan plan = plan(List.of(Claim.keyed("count", 1, "k")), stock("count", "10"),
				Map.of(record("count", "k"), Found.of("R|1|other 1 5")));

		assertThat(plan.outcomes(1)).containsExactly(new CorruptRecord("count", record("count", "k"), 1));
	}

	@Test
	void aCorruptStockFailsTheClaimsOnItAndNotThoseOnAnotherSku() {
		BatchPlan plan = plan(List.of(Claim.of("bad", 1), Claim.of("good", 1)), stock("bad", "garbage", "good", "3"),
				Map.of());

		assertThat(plan.decrements()).containsExactly(Map.entry("good", 1L));
		assertThat(plan.outcomes(1)).containsExactly(new CorruptStock("bad", 1), new Reduced("good", 1, 2, 1));
	}

	@Test
	void aStockKeyOfAnotherTypeIsCorruptStock() {
		assertThat(plan(claims("count", 1), stock("count", Found.WRONG_TYPE), Map.of()).outcomes(1))
			.containsExactly(new CorruptStock("count", 1));
	}

	@Test
	void aClaimOnSeveralSkusTakesThemAllOrNothingAndListsEveryShortage() {
		Claim order = new Claim(List.of(new Item("a", 2), new Item("b", 5), new Item("c", 4)), null);
		Claim fits = new Claim(List.of(new Item("a", 1), new Item("c", 1)), null);

		BatchPlan plan = plan(List.of(order, fits), stock("a", "3", "b", "1", "c", "2"), Map.of());

		assertThat(plan.decrements()).containsExactly(Map.entry("a", 1L), Map.entry("c", 1L));
		assertThat(plan.outcomes(1)).containsExactly(
				new Insufficient(List.of(new Shortage("b", 5, 1), new Shortage("c", 4, 2)), 1),
				new Reduced(List.of(new Line("a", 1, 2), new Line("c", 1, 1)), 1));
	}

	@Test
	void aClaimOnSeveralSkusNamesTheFirstUnknownOne() {
		Claim order = new Claim(List.of(new Item("a", 1), new Item("x", 1), new Item("y", 1)), "k");

		BatchPlan plan = plan(List.of(order), stock("a", "3", "x", Found.NOTHING, "y", Found.NOTHING), Map.of());

		assertThat(plan.outcomes(1)).containsExactly(new UnknownSku("x", 1));
		assertThat(plan.records(1)).containsExactly(Map.entry(record("a", "k"), "N|1|a 1 0|x 1 -1|y 1 -1"));
	}

	@Test
	void theRecordOfAClaimOnSeveralSkusLivesWithItsSmallestSku() {
		Claim order = new Claim(List.of(new Item("b", 1), new Item("a", 1)), "k");

		BatchPlan plan = plan(List.of(order), stock("b", "5", "a", "5"), Map.of());

		assertThat(plan.records(1)).containsExactly(Map.entry(record("a", "k"), "R|1|b 1 4|a 1 4"));
	}

}
