package io.stockservice.metrics;

import java.time.Duration;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.Deadline;
import io.stockservice.stock.RedisSession;
import io.stockservice.stock.StockUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TransactionConnectionMetricsTests {

	static final String CLIENT_NAME = "metrics-test";

	final MeterRegistry registry = new SimpleMeterRegistry();

	TransactionClient client;

	@BeforeEach
	void bindToAPoolOfThree() {
		TestRedis redis = TestRedis.shared();
		this.client = TransactionClient
			.to(RedisURI.Builder.redis(redis.host(), redis.port()).withClientName(CLIENT_NAME).build(), 3);
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

	RedisSession lease() {
		return this.client.connections().acquire("stock:count", Deadline.after(Duration.ofSeconds(5)));
	}

	@Test
	void countsLeasedAndIdleConnectionsAgainstTheBound() {
		try (RedisSession first = lease(); RedisSession second = lease()) {
			assertThat(connections("leased")).isEqualTo(2);
			assertThat(connections("idle")).isZero();
		}
		assertThat(connections("leased")).isZero();
		assertThat(connections("idle")).isEqualTo(2);
		assertThat(this.registry.get("stock.redis.connections.max").gauge().value()).isEqualTo(3);
	}

	@Test
	void countsAConnectionClosedAfterAFaultAndTheOneOpenedInItsPlace() {
		try (RedisSession broken = lease()) {
			// Another client cuts the connection: the next command on it fails.
			RedisCommands<String, String> other = TestRedis.shared().commands();
			for (String client : other.clientList().split("\n")) {
				if (client.contains(" name=" + CLIENT_NAME + " ")) {
					other.clientKill(KillArgs.Builder.id(Long.parseLong(client.replaceAll("^id=(\\d+) .*", "$1"))));
				}
			}
			assertThatExceptionOfType(StockUnavailableException.class)
				.isThrownBy(() -> broken.send(Deadline.after(Duration.ofSeconds(5)), broken.get("stock:any")));
		}
		try (RedisSession next = lease()) {
			assertThat(counter("stock.redis.connections.closed")).isEqualTo(1);
			assertThat(counter("stock.redis.connections.opened")).isEqualTo(2);
		}
	}

}
