package io.stockservice.config;

import java.time.Duration;

import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import io.stockservice.fixture.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service speaks TLS to Redis when {@code spring.data.redis.ssl.enabled} is set,
 * trusting the certificates of the SSL bundle it names, and it verifies the server: a
 * certificate that no trusted authority signed is refused (503, not ready), not accepted
 * quietly.
 */
class RedisTlsTests {

	static SelfSignedCertificate certificate;

	static RedisServerProcess redis;

	static int tlsPort;

	@BeforeAll
	static void startRedisWithTls() {
		certificate = SelfSignedCertificate.create();
		tlsPort = RedisServerProcess.freePort();
		// The plain port stays open for the test's own client; the service uses TLS.
		redis = RedisServerProcess.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
				certificate.certificate().toString(), "--tls-key-file", certificate.privateKey().toString(),
				"--tls-ca-cert-file", certificate.certificate().toString(), "--tls-auth-clients", "no");
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void servesOverTlsTrustingTheBundlesCertificate() {
		redis.commands().set("stock:count", "10");
		try (RunningService service = RunningService.withProperties("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + tlsPort, "spring.data.redis.ssl.enabled=true",
				"spring.data.redis.ssl.bundle=redis",
				"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificate.certificate())) {
			RestTestClient http = service.http();

			reduce(http).expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(9);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		}
	}

	@Test
	void refusesAServerWhoseCertificateItDoesNotTrust() {
		redis.commands().set("stock:count", "10");
		try (RunningService service = RunningService.withProperties("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + tlsPort, "spring.data.redis.ssl.enabled=true")) {
			RestTestClient http = service.http();

			reduce(http).expectStatus().isEqualTo(503);
			http.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
			assertThat(redis.commands().get("stock:count")).isEqualTo("10");
		}
	}

	static RestTestClient.ResponseSpec reduce(RestTestClient http) {
		return http.post()
			.uri("/stock/reduce")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"sku\":\"count\"}")
			.exchange();
	}

}
