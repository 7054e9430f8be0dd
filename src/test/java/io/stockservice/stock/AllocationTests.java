package io.stockservice.stock;

import java.util.List;

import io.stockservice.stock.ReduceOutcome.Insufficient;
import io.stockservice.stock.ReduceOutcome.Reduced;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationTests {

	@Test
	void grantsClaimsInArrivalOrderEachSeeingWhatItLeaves() {
		Allocation allocation = Allocation.of("count", 10, List.of(3L, 2L, 5L));

		assertThat(allocation.granted()).isEqualTo(10);
		assertThat(allocation.remaining()).isZero();
		assertThat(allocation.outcomes(1)).containsExactly(new Reduced("count", 3, 7, 1), new Reduced("count", 2, 5, 1),
				new Reduced("count", 5, 0, 1));
	}

	@Test
	void aClaimThatDoesNotFitTakesNothingAndLaterSmallerClaimsStillFit() {
		Allocation allocation = Allocation.of("count", 5, List.of(2L, 4L, 3L, 1L));

		assertThat(allocation.granted()).isEqualTo(5);
		assertThat(allocation.outcomes(2)).containsExactly(new Reduced("count", 2, 3, 2),
				new Insufficient("count", 4, 3, 2), new Reduced("count", 3, 0, 2), new Insufficient("count", 1, 0, 2));
	}

	@Test
	void grantsNothingFromAnEmptyStock() {
		Allocation allocation = Allocation.of("count", 0, List.of(1L));

		assertThat(allocation.granted()).isZero();
		assertThat(allocation.outcomes(1)).containsExactly(new Insufficient("count", 1, 0, 1));
	}

}
