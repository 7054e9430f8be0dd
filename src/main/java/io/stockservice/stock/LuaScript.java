package io.stockservice.stock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;

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
	List<Object> run(Lease lease, Deadline deadline, List<String> keys, List<String> args) {
		String[] keyArray = keys.toArray(new String[0]);
		String[] argArray = args.toArray(new String[0]);
		try {
			return array(lease, deadline,
					lease.commands().<List<Object>>evalsha(this.sha1, ScriptOutputType.MULTI, keyArray, argArray));
		}
		catch (RedisNoScriptException ex) {
			return array(lease, deadline,
					lease.commands().<List<Object>>eval(this.source, ScriptOutputType.MULTI, keyArray, argArray));
		}
	}

	private static List<Object> array(Lease lease, Deadline deadline, RedisFuture<List<Object>> reply) {
		lease.await(deadline, reply);
		return Lease.valueOf(reply);
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
