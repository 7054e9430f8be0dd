package io.stockservice.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary shipped in the embedded-redis jar) for one run,
 * on a free loopback port, keeping nothing on disk: the article on a machine with only a
 * JDK.
 */
final class EmbeddedRedis implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	private EmbeddedRedis(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	static EmbeddedRedis start() throws IOException {
		int port = freePort();
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.build();
		server.start();
		return new EmbeddedRedis(server, port);
	}

	Target target() {
		return Target.parse("redis://127.0.0.1:" + this.port);
	}

	@Override
	public void close() throws IOException {
		this.server.stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the embedded Redis", ex);
		}
	}

}
