package io.stockservice.config;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * For the {@code local} profile only: starts a real {@code redis-server} (the binary
 * shipped in the embedded-redis jar) on {@code spring.data.redis.port}, so that a machine
 * with only a JDK can run the service. It keeps nothing on disk and seeds nothing.
 * <p>
 * No other profile ever starts one: in production a missing Redis must fail readiness,
 * not be silently replaced by an empty one.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class EmbeddedRedisConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisConfiguration.class);

	@Bean(destroyMethod = "stop")
	RedisServer embeddedRedisServer(DataRedisProperties redis) throws IOException {
		RedisServer server = RedisServer.newRedisServer()
			.port(redis.getPort())
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		try {
			server.start();
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("spring.data.redis.port",
					"the local profile's embedded Redis cannot start on port " + redis.getPort()
							+ ": the port is in use (another Redis?) or cannot be bound.",
					"Stop what listens on port " + redis.getPort() + ", or choose another port, e.g. "
							+ "./mvnw spring-boot:run -Dspring-boot.run.arguments=--spring.data.redis.port=6380",
					ex);
		}
		logger.info("Started an embedded redis-server on 127.0.0.1:{} for the local profile", redis.getPort());
		return server;
	}

	/**
	 * Points the service at the embedded server, and makes every Redis client wait until
	 * it runs.
	 */
	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(RedisServer embeddedRedisServer) {
		int port = embeddedRedisServer.ports().get(0);
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", port);
			}

		};
	}

}
