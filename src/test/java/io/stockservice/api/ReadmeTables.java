package io.stockservice.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the API and problem tables of README.md, so that a test can hold the OpenAPI
 * document to them. Strict on purpose: a table that is missing, a row that does not have
 * the expected cells, or a cell that does not start the expected way fails, rather than
 * being read as nothing and passing.
 */
final class ReadmeTables {

	static final Path README = Path.of("README.md");

	/** A code span, whose numbers (`{"quantity":100}`) are no statuses. */
	private static final Pattern CODE = Pattern.compile("`[^`]*`");

	private static final Pattern STATUS = Pattern.compile("\\b[1-5]\\d\\d\\b");

	private static final Pattern CALL = Pattern.compile("^`(GET|PUT|POST|DELETE|PATCH) (/\\S*)`");

	private static final Pattern SLUG = Pattern.compile("`([a-z][a-z-]*)`");

	private static final Pattern MEMBER = Pattern.compile("`([a-zA-Z]+)[^`]*`");

	private ReadmeTables() {
	}

	/** A row of the API table: a call and every status it lists, success or error. */
	record Call(String method, String path, Set<Integer> statuses) {

	}

	/** A row of the problem types' table, one per slug. */
	record ProblemRow(String slug, int status, List<String> members) {

	}

	static List<Call> calls(String markdown) {
		List<Call> calls = new ArrayList<>();
		for (List<String> row : table(markdown, "| call | success | errors |", 3)) {
			Matcher call = CALL.matcher(row.get(0));
			if (!call.find()) {
				throw new IllegalArgumentException("An API row must start with `METHOD /path`: " + row);
			}
			Set<Integer> success = statuses(row.get(1));
			if (success.isEmpty()) {
				throw new IllegalArgumentException("An API row must name its success status: " + row);
			}
			Set<Integer> statuses = new LinkedHashSet<>(success);
			statuses.addAll(statuses(row.get(2)));
			calls.add(new Call(call.group(1), call.group(2), statuses));
		}
		return calls;
	}

	static List<ProblemRow> problems(String markdown) {
		List<ProblemRow> problems = new ArrayList<>();
		for (List<String> row : table(markdown, "| slug | status | when | extra members |", 4)) {
			List<String> slugs = SLUG.matcher(row.get(0)).results().map((slug) -> slug.group(1)).toList();
			List<Integer> statuses = List.copyOf(statuses(row.get(1)));
			// One status for all the row's slugs, or one status each.
			if (slugs.isEmpty() || (statuses.size() != 1 && statuses.size() != slugs.size())) {
				throw new IllegalArgumentException("A problem row must name its slugs and their statuses: " + row);
			}
			List<String> members = row.get(3).equals("—") ? List.of()
					: MEMBER.matcher(row.get(3)).results().map((member) -> member.group(1)).toList();
			if (!row.get(3).equals("—") && members.isEmpty()) {
				throw new IllegalArgumentException("A problem row must list its members or '—': " + row);
			}
			for (int i = 0; i < slugs.size(); i++) {
				problems.add(new ProblemRow(slugs.get(i), statuses.get((statuses.size() == 1) ? 0 : i), members));
			}
		}
		return problems;
	}

	static String readme() {
		try {
			return Files.readString(README);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Set<Integer> statuses(String cell) {
		Set<Integer> statuses = new LinkedHashSet<>();
		STATUS.matcher(CODE.matcher(cell).replaceAll("")).results().forEach((status) -> {
			statuses.add(Integer.parseInt(status.group()));
		});
		return statuses;
	}

	/** The cells of each row of the table with the given header, which must be there. */
	private static List<List<String>> table(String markdown, String header, int columns) {
		List<String> lines = markdown.lines().toList();
		int start = lines.indexOf(header);
		if (start < 0 || start + 1 >= lines.size() || !lines.get(start + 1).startsWith("|---")) {
			throw new IllegalArgumentException("No table headed " + header);
		}
		List<List<String>> rows = new ArrayList<>();
		for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
			String line = lines.get(i);
			if (!line.endsWith("|")) {
				throw new IllegalArgumentException("A row must end with '|': " + line);
			}
			List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1))
				.stream()
				.map(String::strip)
				.toList();
			if (cells.size() != columns) {
				throw new IllegalArgumentException("A row of " + header + " must have " + columns + " cells: " + line);
			}
			rows.add(cells);
		}
		if (rows.isEmpty()) {
			throw new IllegalArgumentException("The table headed " + header + " has no rows");
		}
		return rows;
	}

}
