package io.stockservice.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionConnectionMetricsTests {

	final MeterRegistry registry = new SimpleMeterRegistry();

	TransactionClient client;

	@BeforeEach
	void bindToAPoolOfThree() {
		this.client = TransactionClient.to(TestRedis.shared().uri(), 3);
		new TransactionConnectionMetrics(this.client.connections()).bindTo(this.registry);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	double connections(String state) {
		return this.registry.get("stock.redis.connections").tag("state", state).gauge().value();
	}

	double counter(String name) {
		return this.registry.get(name).functionCounter().count();
	}

	Lease lease() {
		return this.client.connections().acquire(Deadline.after(Duration.ofSeconds(5)));
	}

	@Test
	void countsLeasedAndIdleConnectionsAgainstTheBound() {
		try (Lease first = lease(); Lease second = lease()) {
			assertThat(connections("leased")).isEqualTo(2);
			assertThat(connections("idle")).isZero();
		}
		assertThat(connections("leased")).isZero();
		assertThat(connections("idle")).isEqualTo(2);
		assertThat(this.registry.get("stock.redis.connections.max").gauge().value()).isEqualTo(3);
	}

	@Test
	void countsAConnectionClosedAfterAFaultAndTheOneOpenedInItsPlace() {
		try (Lease broken = lease()) {
			broken.discard();
		}
		try (Lease next = lease()) {
			assertThat(counter("stock.redis.connections.closed")).isEqualTo(1);
			assertThat(counter("stock.redis.connections.opened")).isEqualTo(2);
		}
	}

}
