package io.stockservice.config;

import java.util.List;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction connections' URI carries every credential and TLS setting of
 * {@code spring.data.redis.*}, sentinel nodes' own included.
 */
class RedisUrisTests {

	final DataRedisProperties properties = new DataRedisProperties();

	@Test
	void aSentinelUserAuthenticatesToEverySentinelNode() {
		DataRedisConnectionDetails details = sentinel("sentinel-user", "sentinel-password");

		assertThat(RedisUris.sentinels(details, this.properties)).hasSize(2).allSatisfy((node) -> {
			assertThat(credentials(node).getUsername()).isEqualTo("sentinel-user");
			assertThat(credentials(node).getPassword()).isEqualTo("sentinel-password".toCharArray());
		});
		RedisURI data = RedisUris.template(details, this.properties);
		assertThat(credentials(data).getUsername()).isEqualTo("app-user");
		assertThat(credentials(data).getPassword()).isEqualTo("app-password".toCharArray());
	}

	@Test
	void aSentinelPasswordAloneAuthenticatesAsTheDefaultUser() {
		assertThat(RedisUris.sentinels(sentinel(null, "sentinel-password"), this.properties)).allSatisfy((node) -> {
			assertThat(credentials(node).getUsername()).isNull();
			assertThat(credentials(node).getPassword()).isEqualTo("sentinel-password".toCharArray());
		});
	}

	@Test
	void sslEnabledMeansTlsWithTheServerVerified() {
		this.properties.getSsl().setEnabled(true);

		RedisURI uri = RedisUris.template(standalone(), this.properties);

		assertThat(uri.isSsl()).isTrue();
		assertThat(uri.isVerifyPeer()).isTrue();
	}

	@Test
	void aRedissUrlMeansTls() {
		this.properties.setUrl("rediss://redis.example:6380");

		assertThat(RedisUris.template(standalone(), this.properties).isSsl()).isTrue();
	}

	static RedisCredentials credentials(RedisURI uri) {
		return uri.getCredentialsProvider().resolveCredentials().block();
	}

	static DataRedisConnectionDetails standalone() {
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("redis.example", 6380);
			}

		};
	}

	static DataRedisConnectionDetails sentinel(String username, String password) {
		return new DataRedisConnectionDetails() {

			@Override
			public String getUsername() {
				return "app-user";
			}

			@Override
			public String getPassword() {
				return "app-password";
			}

			@Override
			public Sentinel getSentinel() {
				return new Sentinel() {

					@Override
					public int getDatabase() {
						return 0;
					}

					@Override
					public String getMaster() {
						return "stock";
					}

					@Override
					public List<Node> getNodes() {
						return List.of(new Node("sentinel-1", 26379), new Node("sentinel-2", 26379));
					}

					@Override
					public String getUsername() {
						return username;
					}

					@Override
					public String getPassword() {
						return password;
					}

				};
			}

		};
	}

}
