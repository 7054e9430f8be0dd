package io.stockservice.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines a worker sends its coordinator. */
class WorkerProtocolTests {

	@Test
	void everyKindOfSaleSurvivesTheTripThroughALine() {
		for (Sale sale : new Sale[] { new Sale.Sold(99, 3, 2), new Sale.SoldOut(0, 1, 0), new Sale.Contended(20, 20),
				new Sale.Sold(98, 1, 0, 4, true), new Sale.SoldOut(0, 2, 1, 1, false) }) {
			assertThat(WorkerProtocol.parse(4, WorkerProtocol.report(sale, 1234)))
				.isEqualTo(new WorkerEvent.Reported(4, sale, 1234));
		}
	}

	@Test
	void anErrorKeepsItsMessageOnOneLine() {
		assertThat(WorkerProtocol.parse(2, WorkerProtocol.error("Redis did not answer\nin time")))
			.isEqualTo(new WorkerEvent.Failed(2, "Redis did not answer in time"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "OpenJDK 64-Bit Server VM warning: something", "SOLD 1 2", "SOLD x 1 0 5", "" })
	void linesThatAreNotTheProtocolAreNotEvents(String line) {
		assertThat(WorkerProtocol.parse(1, line)).isNull();
	}

}
