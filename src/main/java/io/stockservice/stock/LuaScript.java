package io.stockservice.stock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 (EVALSHA), so that its text crosses the network only when
 * Redis does not know it yet: after a restart or SCRIPT FLUSH, the first call falls back
 * to EVAL, which also caches it.
 */
final class LuaScript {

	private final String source;

	private final String sha1;

	private LuaScript(String source) {
		this.source = source;
		this.sha1 = sha1(source);
	}

	static LuaScript load(String resource) {
		try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing script " + resource);
			}
			return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs the script; its reply is an array (of integers and strings). */
	List<Object> run(RedisSession session, Deadline deadline, List<String> keys, List<String> args) {
		try {
			return array(session, deadline, session.evalsha(this.sha1, keys, args));
		}
		catch (RedisErrorReply ex) {
			if (!ex.noScript()) {
				throw ex;
			}
			return array(session, deadline, session.eval(this.source, keys, args));
		}
	}

	private static List<Object> array(RedisSession session, Deadline deadline, Reply<List<Object>> reply) {
		session.send(deadline, reply);
		return reply.value();
	}

	private static String sha1(String source) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-1");
			return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
