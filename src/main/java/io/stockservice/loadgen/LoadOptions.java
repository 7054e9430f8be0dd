package io.stockservice.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stockservice.api.ValidSku;
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
 * @param target where the load goes; with {@code embeddedRedis}, filled in once that
 * Redis runs
 * @param strategy {@code watch} or {@code lua}, for a Redis target
 * @param readAhead for the {@code watch} strategy on a Redis target, send each
 * transaction's next WATCH and GET right behind its EXEC (the service's
 * {@code stock.reduce.read-ahead})
 * @param embeddedRedis start a Redis of the run's own
 * @param print print each decrement and conflict as it happens
 * @param report where to write the JSON report, or {@code null}
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
record LoadOptions(int workers, long stock, String sku, long quantity, Target target, String strategy,
		boolean readAhead, boolean embeddedRedis, boolean print, Path report, Duration timeout, String adminToken,
		long warmUp, boolean idempotent, long crashWorkerAfter, long hangWorkerAfter) {

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
			  --strategy S         watch (WATCH/MULTI/EXEC) or lua, for a redis:// target (default watch)
			  --read-ahead         with watch on a redis:// target: send each transaction's next WATCH
			                       and GET right behind its EXEC, so the next reduction starts without
			                       a round trip of its own (a retry after a pause reads afresh)
			  --embedded-redis     start a redis-server for this run on a free port, and use it
			  --print              print every decrement's remaining stock and every conflict
			  --report FILE        write the JSON report to FILE
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
			"--strategy", "--report", "--timeout", "--admin-token", "--warm-up", "--crash-worker-after",
			"--hang-worker-after");

	private static final Set<String> FLAGS = Set.of("--embedded-redis", "--print", "--idempotent", "--read-ahead");

	/**
	 * @param args the arguments after {@code loadgen}
	 * @param env the environment, for {@code STOCK_ADMIN_TOKEN}
	 * @return the options
	 * @throws UsageException if the arguments are not valid
	 */
	static LoadOptions parse(List<String> args, Map<String, String> env) {
		Arguments arguments = Arguments.parse(args, VALUED, FLAGS);
		String sku = arguments.text("--sku", "count");
		if (!sku.matches(ValidSku.PATTERN)) {
			throw new UsageException("--sku must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, was " + sku);
		}
		String strategy = arguments.text("--strategy", WatchReduceStrategy.NAME);
		if (!strategy.equals(WatchReduceStrategy.NAME) && !strategy.equals(LuaReduceStrategy.NAME)) {
			throw new UsageException("--strategy must be watch or lua, was " + strategy);
		}
		boolean embedded = arguments.has("--embedded-redis");
		if (embedded && arguments.text("--target", null) != null) {
			throw new UsageException("--embedded-redis and --target exclude each other");
		}
		Target target = embedded ? null : Target.parse(arguments.text("--target", DEFAULT_TARGET));
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
		String token = arguments.text("--admin-token", env.get("STOCK_ADMIN_TOKEN"));
		boolean readAhead = arguments.has("--read-ahead");
		if (readAhead && (!strategy.equals(WatchReduceStrategy.NAME)
				|| (target != null && target.kind() != Target.Kind.REDIS))) {
			throw new UsageException("--read-ahead is for the watch strategy on a redis:// target");
		}
		return new LoadOptions((int) arguments.number("--workers", 10, 1, 64), stock, sku, quantity, target, strategy,
				readAhead, embedded, arguments.has("--print"), (report != null) ? Path.of(report) : null,
				timeout(arguments.text("--timeout", "5m")), (token == null || token.isEmpty()) ? null : token,
				arguments.number("--warm-up", 0, 0, 1_000_000), idempotent,
				arguments.number("--crash-worker-after", 0, 0, Long.MAX_VALUE),
				arguments.number("--hang-worker-after", 0, 0, Long.MAX_VALUE));
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
		return new LoadOptions(this.workers, this.stock, this.sku, this.quantity, started, this.strategy,
				this.readAhead, this.embeddedRedis, this.print, this.report, this.timeout, this.adminToken, this.warmUp,
				this.idempotent, this.crashWorkerAfter, this.hangWorkerAfter);
	}

	/**
	 * What worker {@code index} (from 1) is told; the test seams apply to worker 1 only.
	 */
	WorkerOptions worker(int index) {
		boolean first = index == 1;
		return new WorkerOptions(this.target, this.strategy, this.readAhead, this.sku, this.quantity, this.idempotent,
				this.warmUp, first ? this.crashWorkerAfter : 0, first ? this.hangWorkerAfter : 0);
	}

}
