package io.stockservice.loadgen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code --name value}, {@code --name=value} and {@code --flag} arguments against a
 * fixed set of names, refusing anything unknown, missing its value, or repeated unless it
 * is one of the names that may be given several times.
 */
final class Arguments {

	private final Map<String, List<String>> values;

	private final Set<String> flags;

	private Arguments(Map<String, List<String>> values, Set<String> flags) {
		this.values = values;
		this.flags = flags;
	}

	static Arguments parse(List<String> args, Set<String> valued, Set<String> flagNames) {
		return parse(args, valued, flagNames, Set.of());
	}

	/**
	 * @param repeatable the valued names that may be given more than once
	 */
	static Arguments parse(List<String> args, Set<String> valued, Set<String> flagNames, Set<String> repeatable) {
		Map<String, List<String>> values = new HashMap<>();
		Set<String> flags = new HashSet<>();
		for (Iterator<String> it = args.iterator(); it.hasNext();) {
			String arg = it.next();
			int equals = arg.indexOf('=');
			String name = (equals > 0) ? arg.substring(0, equals) : arg;
			if (flagNames.contains(name) && equals < 0) {
				if (!flags.add(name)) {
					throw new UsageException(name + " is given twice");
				}
			}
			else if (valued.contains(name)) {
				if (equals < 0 && !it.hasNext()) {
					throw new UsageException(name + " needs a value");
				}
				String value = (equals > 0) ? arg.substring(equals + 1) : it.next();
				List<String> given = values.computeIfAbsent(name, (key) -> new ArrayList<>());
				if (!given.isEmpty() && !repeatable.contains(name)) {
					throw new UsageException(name + " is given twice");
				}
				given.add(value);
			}
			else {
				throw new UsageException("unknown option " + arg);
			}
		}
		return new Arguments(values, flags);
	}

	boolean has(String flag) {
		return this.flags.contains(flag);
	}

	String text(String name, String fallback) {
		List<String> given = this.values.get(name);
		return (given != null) ? given.get(0) : fallback;
	}

	/** Every value of a repeatable name, in the order given; empty if none. */
	List<String> texts(String name) {
		return this.values.getOrDefault(name, List.of());
	}

	long number(String name, long fallback, long min, long max) {
		String raw = text(name, null);
		if (raw == null) {
			return fallback;
		}
		try {
			long value = Long.parseLong(raw);
			if (value < min || value > max) {
				throw new UsageException(name + " must be from " + min + " to " + max + ", was " + raw);
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw new UsageException(name + " must be a whole number, was " + raw);
		}
	}

	/** A command-line mistake: the message says what to change. */
	static final class UsageException extends IllegalArgumentException {

		UsageException(String message) {
			super(message);
		}

	}

}
