package io.stockservice.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stockservice.loadgen.Arguments.UsageException;
import io.stockservice.stock.Sku;
import io.stockservice.stock.StockLevel;

import org.springframework.boot.convert.DurationStyle;

/**
 * What a {@code loadgen --mode hold} run does ({@link #USAGE}): clients hold units
 * through the service's reservations, then confirm or release each hold.
 *
 * @param workers client threads
 * @param stock units set before the run
 * @param sku the SKU held
 * @param quantity units per hold
 * @param target the service, {@code http://host:port}
 * @param confirmRatio the share of holds confirmed; the others are released
 * @param ttl the TTL of each hold
 * @param timeout the bound of the whole run
 * @param adminToken sent as a bearer token with the request that sets the stock, or
 * {@code null}
 * @param report where to write the JSON report, or {@code null}
 */
record HoldLoadOptions(int workers, long stock, String sku, long quantity, Target target, double confirmRatio,
		Duration ttl, Duration timeout, String adminToken, Path report) {

	static final String USAGE = """

			Usage: java -jar stock-service.jar loadgen --mode hold --target http://host:port [options]

			Clients hold units through POST /stock/reservations, then confirm (sell) or release
			(give back) each hold, until no hold fits any more; then checks that every unit is sold,
			available or reserved, and that none is left reserved.

			  --confirm-ratio R    the share of holds confirmed, 0 to 1; the rest are released (default 0.7)
			  --ttl DURATION       the TTL of each hold, e.g. 30s, PT1M                   (default 1m)
			  --workers N          client threads                                           (default 10)
			  --stock, --sku, --quantity, --timeout, --admin-token, --report: as for a reduce run
			""";

	private static final Set<String> VALUED = Set.of("--mode", "--workers", "--stock", "--sku", "--quantity",
			"--target", "--confirm-ratio", "--ttl", "--timeout", "--admin-token", "--report");

	/** Whether the arguments ask for {@code --mode hold}. */
	static boolean requested(List<String> args) {
		return "hold".equals(mode(args));
	}

	/**
	 * The arguments without {@code --mode reduce} (the default), for the reduce run.
	 * @throws UsageException for a mode that is neither
	 */
	static List<String> reduceArguments(List<String> args) {
		String mode = mode(args);
		if (mode != null && !mode.equals("reduce")) {
			throw new UsageException("--mode must be reduce or hold, was " + mode);
		}
		List<String> rest = new ArrayList<>(args);
		int at = rest.indexOf("--mode");
		if (at >= 0) {
			rest.subList(at, Math.min(at + 2, rest.size())).clear();
		}
		rest.removeIf((arg) -> arg.startsWith("--mode="));
		return rest;
	}

	private static String mode(List<String> args) {
		for (int i = 0; i < args.size(); i++) {
			if (args.get(i).equals("--mode") && i + 1 < args.size()) {
				return args.get(i + 1);
			}
			if (args.get(i).startsWith("--mode=")) {
				return args.get(i).substring("--mode=".length());
			}
		}
		return null;
	}

	static HoldLoadOptions parse(List<String> args, Map<String, String> env) {
		Arguments arguments = Arguments.parse(args, VALUED, Set.of());
		String sku = arguments.text("--sku", "count");
		if (!Sku.isValid(sku)) {
			throw new UsageException("--sku must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, was " + sku);
		}
		String rawTarget = arguments.text("--target", null);
		Target target = (rawTarget != null) ? Target.parse(rawTarget) : null;
		if (target == null || target.kind() != Target.Kind.HTTP) {
			throw new UsageException("--mode hold needs an http:// --target: reservations are the service's");
		}
		double ratio = ratio(arguments.text("--confirm-ratio", "0.7"));
		Duration ttl = duration("--ttl", arguments.text("--ttl", "1m"));
		if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
			throw new UsageException("--ttl must be from 1s to 24h, was " + ttl);
		}
		String token = arguments.text("--admin-token", env.get("STOCK_ADMIN_TOKEN"));
		String report = arguments.text("--report", null);
		return new HoldLoadOptions((int) arguments.number("--workers", 10, 1, 256),
				arguments.number("--stock", 1000, 0, StockLevel.MAX), sku,
				arguments.number("--quantity", 1, 1, 1_000_000), target, ratio, ttl,
				duration("--timeout", arguments.text("--timeout", "5m")),
				(token == null || token.isEmpty()) ? null : token, (report != null) ? Path.of(report) : null);
	}

	private static double ratio(String raw) {
		try {
			double ratio = Double.parseDouble(raw);
			if (!(ratio >= 0 && ratio <= 1)) {
				throw new UsageException("--confirm-ratio must be from 0 to 1, was " + raw);
			}
			return ratio;
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--confirm-ratio must be a number from 0 to 1, was " + raw);
		}
	}

	private static Duration duration(String name, String raw) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(raw);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new UsageException(name + " must be a duration such as 90s or 5m, was " + raw);
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new UsageException(name + " must be positive, was " + raw);
		}
		return duration;
	}

}
