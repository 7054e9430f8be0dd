package io.stockservice.api;

import io.stockservice.fixture.RealRedisConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.server.port} set, the actuator (health, info, prometheus and
 * nothing else) answers on that port only, so it can stay inside the cluster while the
 * API is exposed; the probes' additional paths, {@code /livez} and {@code /readyz}, stay
 * on the main port, where Kubernetes probes usually point.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@Import(RealRedisConfiguration.class)
class ManagementPortTests {

	@LocalServerPort
	int serverPort;

	@LocalManagementPort
	int managementPort;

	RestTestClient on(int port) {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	@Test
	void theActuatorAnswersOnTheManagementPort() {
		assertThat(this.managementPort).isNotEqualTo(this.serverPort);
		RestTestClient management = on(this.managementPort);
		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
		management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		management.get().uri("/actuator/info").exchange().expectStatus().isOk();
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
	}

	@Test
	void theManagementPortExposesNothingElseAndNoInternals() {
		RestTestClient management = on(this.managementPort);
		for (String hidden : new String[] { "env", "beans", "configprops", "heapdump", "metrics", "loggers" }) {
			String body = management.get()
				.uri("/actuator/" + hidden)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(String.valueOf(body)).doesNotContain("Exception", "trace", "\tat ");
		}
		management.get().uri("/stock/count").exchange().expectStatus().isNotFound();
	}

	@Test
	void theMainPortNoLongerServesTheActuatorButKeepsTheProbePaths() {
		RestTestClient main = on(this.serverPort);
		main.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
		main.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
		main.get().uri("/livez").exchange().expectStatus().isOk();
		main.get().uri("/readyz").exchange().expectStatus().isOk();
	}

}
