package io.stockservice.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stockservice.stock.Sku;
import io.stockservice.loadgen.Arguments.UsageException;
import io.stockservice.stock.LuaReduceStrategy;
import io.stockservice.stock.StockLevel;
import io.stockservice.stock.WatchReduceStrategy;

import org.springframework.boot.convert.DurationStyle;

/**
 * What one load-generator run does, as given on the command line ({@link #USAGE}).
 *
 * @param workers worker processes (JVMs) to start, each one client
 * @param stock units to set before the race
 * @param sku the SKU to drain
 * @param quantity units each reduction asks for
 * @param targets where the load goes, all of one kind, each worker to one of them in
 * turn; with {@code embeddedRedis}, filled in once that Redis runs
 * @param strategy {@code watch} or {@code lua}, for a Redis target
 * @param embeddedRedis start a Redis of the run's own
 * @param print print each decrement and conflict as it happens
 * @param report where to write the JSON report, or {@code null}
 * @param html where to write the HTML report, or {@code null}
 * @param timeout the bound of the whole run
 * @param adminToken sent as a bearer token with the request that sets the stock over
 * HTTP, or {@code null}
 * @param warmUp reductions each worker runs on a SKU of its own before it reports ready
 * @param idempotent over HTTP, send each reduction with an {@code Idempotency-Key} of its
 * own and send it again after a 503 or a timeout until it is answered
 * @param crashWorkerAfter test seam: worker 1 halts after this many successes (0: never)
 * @param hangWorkerAfter test seam: worker 1 stops answering after this many successes
 * (0: never)
 */
record LoadOptions(int workers, long stock, String sku, long quantity, List<Target> targets, String strategy,
		boolean embeddedRedis, boolean print, Path report, Path html, Duration timeout, String adminToken, long warmUp,
		boolean idempotent, long crashWorkerAfter, long hangWorkerAfter) {

	/**
	 * The most successes one run checks value by value; more would not fit the
	 * coordinator's memory comfortably.
	 */
	static final long MAX_SUCCESSES = 10_000_000;

	static final String DEFAULT_TARGET = "redis://127.0.0.1:6379";

	static final String USAGE = """
			Usage: java -jar stock-service.jar loadgen [options]

			Starts N worker JVMs that each reduce one SKU's stock until it is gone, as the
			article's ten clients do, then checks that every unit was sold exactly once.

			  --workers N          worker processes (JVMs), each one client        (default 10, at most 64)
			  --stock N            units set before the race                        (default 100)
			  --sku SKU            the SKU to drain; its Redis key is stock:SKU     (default count)
			  --quantity N         units per reduction                              (default 1)
			  --target URI         redis://host:port: workers run the reduce loop on Redis themselves;
			                       http://host:port: workers call POST /stock/reduce on the service
			                                                                        (default redis://127.0.0.1:6379)
			                       Give it several times, or a comma-separated list, to spread the
			                       workers over several targets in turn (e.g. two instances of the
			                       service on one Redis): all of one kind, all reaching the same stock
			  --strategy S         watch (WATCH/MULTI/EXEC) or lua, for a redis:// target (default watch)
			  --embedded-redis     start a redis-server for this run on a free port, and use it
			  --print              print every decrement's remaining stock and every conflict
			  --report FILE        write the JSON report to FILE
			  --html FILE          write a self-contained HTML report (charts, tables, verdicts) to FILE
			  --timeout DURATION   bound of the whole run, e.g. 90s, 5m              (default 5m)
			  --admin-token TOKEN  bearer token for PUT /stock/{sku} over HTTP       (default $STOCK_ADMIN_TOKEN)
			  --warm-up N          reductions each worker runs on a SKU of its own (created, then
			                       deleted) before the race, so that its JVM has compiled the hot
			                       code when the race starts; for measuring   (default 0)
			  --idempotent         over HTTP: give each reduction an Idempotency-Key, and send it again
			                       after a 503 or a timeout until it is answered; the report then
			                       checks that every reduction took its units exactly once
			  --help               this text

			For tests of the load generator itself:
			  --crash-worker-after N  worker 1 halts after N successes
			  --hang-worker-after N   worker 1 stops answering after N successes

			Exit status: 0 when every invariant holds and every worker finished, 1 when not,
			2 for a usage error.
			""";

	private static final Set<String> VALUED = Set.of("--workers", "--stock", "--sku", "--quantity", "--target",
			"--strategy", "--report", "--html", "--timeout", "--admin-token", "--warm-up", "--crash-worker-after",
			"--hang-worker-after");

	private static final Set<String> FLAGS = Set.of("--embedded-redis", "--print", "--idempotent");

	/**
	 * @param args the arguments after {@code loadgen}
	 * @param env the environment, for {@code STOCK_ADMIN_TOKEN}
	 * @return the options
	 * @throws UsageException if the arguments are not valid
	 */
	static LoadOptions parse(List<String> args, Map<String, String> env) {
		Arguments arguments = Arguments.parse(args, VALUED, FLAGS, Set.of("--target"));
		String sku = arguments.text("--sku", "count");
		if (!Sku.isValid(sku)) {
			throw new UsageException("--sku must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, was " + sku);
		}
		String strategy = arguments.text("--strategy", WatchReduceStrategy.NAME);
		if (!strategy.equals(WatchReduceStrategy.NAME) && !strategy.equals(LuaReduceStrategy.NAME)) {
			throw new UsageException("--strategy must be watch or lua, was " + strategy);
		}
		boolean embedded = arguments.has("--embedded-redis");
		if (embedded && !arguments.texts("--target").isEmpty()) {
			throw new UsageException("--embedded-redis and --target exclude each other");
		}
		List<Target> targets = embedded ? null : targets(arguments.texts("--target"));
		Target target = embedded ? null : targets.get(0);
		long stock = arguments.number("--stock", 100, 0, StockLevel.MAX);
		long quantity = arguments.number("--quantity", 1, 1, 1_000_000);
		if (stock / quantity > MAX_SUCCESSES) {
			throw new UsageException("--stock / --quantity must be at most " + MAX_SUCCESSES);
		}
		boolean idempotent = arguments.has("--idempotent");
		if (idempotent && (target == null || target.kind() != Target.Kind.HTTP)) {
			throw new UsageException("--idempotent needs an http:// --target: it is about the service's retries");
		}
		String report = arguments.text("--report", null);
		String html = arguments.text("--html", null);
		String token = arguments.text("--admin-token", env.get("STOCK_ADMIN_TOKEN"));
		int workers = (int) arguments.number("--workers", 10, 1, 64);
		if (targets != null && workers < targets.size()) {
			throw new UsageException("--workers must be at least the number of targets (" + targets.size()
					+ "), so that every target gets a worker, was " + workers);
		}
		return new LoadOptions(workers, stock, sku, quantity, targets, strategy, embedded, arguments.has("--print"),
				(report != null) ? Path.of(report) : null, (html != null) ? Path.of(html) : null,
				timeout(arguments.text("--timeout", "5m")), (token == null || token.isEmpty()) ? null : token,
				arguments.number("--warm-up", 0, 0, 1_000_000), idempotent,
				arguments.number("--crash-worker-after", 0, 0, Long.MAX_VALUE),
				arguments.number("--hang-worker-after", 0, 0, Long.MAX_VALUE));
	}

	/**
	 * Every {@code --target}, each of which may be a comma-separated list: one kind, none
	 * twice.
	 */
	private static List<Target> targets(List<String> given) {
		List<Target> targets = new ArrayList<>();
		for (String list : given.isEmpty() ? List.of(DEFAULT_TARGET) : given) {
			for (String uri : list.split(",", -1)) {
				Target target = Target.parse(uri.strip());
				if (targets.contains(target)) {
					throw new UsageException("--target " + target + " is given twice");
				}
				if (!targets.isEmpty() && targets.get(0).kind() != target.kind()) {
					throw new UsageException("--target: all targets must be of one kind, all http:// (instances of "
							+ "the service) or all redis://, but " + targets.get(0) + " and " + target + " are not");
				}
				targets.add(target);
			}
		}
		return List.copyOf(targets);
	}

	/** The kind of every target: they are all of one. */
	Target.Kind kind() {
		return this.targets.get(0).kind();
	}

	/**
	 * The target of worker {@code index} (from 1): the targets in turn, so that each gets
	 * as many workers as the others, give or take one.
	 */
	Target targetOf(int index) {
		return this.targets.get((index - 1) % this.targets.size());
	}

	private static Duration timeout(String raw) {
		Duration timeout;
		try {
			timeout = DurationStyle.detectAndParse(raw);
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new UsageException("--timeout must be a duration such as 90s or 5m, was " + raw);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new UsageException("--timeout must be positive, was " + raw);
		}
		return timeout;
	}

	/** These options with the target that {@code --embedded-redis} started. */
	LoadOptions withTarget(Target started) {
		return new LoadOptions(this.workers, this.stock, this.sku, this.quantity, List.of(started), this.strategy,
				this.embeddedRedis, this.print, this.report, this.html, this.timeout, this.adminToken, this.warmUp,
				this.idempotent, this.crashWorkerAfter, this.hangWorkerAfter);
	}

	/**
	 * What worker {@code index} (from 1) is told; the test seams apply to worker 1 only.
	 */
	WorkerOptions worker(int index) {
		boolean first = index == 1;
		return new WorkerOptions(targetOf(index), this.strategy, this.sku, this.quantity, this.idempotent, this.warmUp,
				first ? this.crashWorkerAfter : 0, first ? this.hangWorkerAfter : 0);
	}

}
