package io.stockservice.loadgen;

import java.net.URI;

import io.lettuce.core.RedisURI;
import io.stockservice.loadgen.Arguments.UsageException;

/**
 * Where the load goes: straight at Redis, each worker running the reduce algorithm itself
 * as the article's clients do, or at the service's HTTP API.
 *
 * @param kind which of the two
 * @param uri {@code redis://host:port} (any Lettuce Redis URI) or
 * {@code http://host:port}
 */
record Target(Kind kind, String uri) {

	enum Kind {

		REDIS, HTTP

	}

	static Target parse(String uri) {
		if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
			try {
				RedisURI.create(uri);
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException("--target " + uri + " is not a Redis URI: " + ex.getMessage());
			}
			return new Target(Kind.REDIS, uri);
		}
		if (uri.startsWith("http://") || uri.startsWith("https://")) {
			String base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
			URI parsed;
			try {
				parsed = URI.create(base);
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException("--target " + uri + " is not a URL: " + ex.getMessage());
			}
			if (parsed.getHost() == null) {
				throw new UsageException("--target " + uri + " names no host");
			}
			return new Target(Kind.HTTP, base);
		}
		throw new UsageException("--target must start with redis:// or http://, was " + uri);
	}

	@Override
	public String toString() {
		return this.uri;
	}

}
