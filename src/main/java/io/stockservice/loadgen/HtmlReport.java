package io.stockservice.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of a run as one self-contained HTML page ({@code --html FILE}): the figures,
 * decrements and conflicts per second, the latency distribution, successes per worker,
 * per-target figures and the invariants with their verdicts. Its CSS and charts are
 * inline ({@link SvgChart}) and it has no script, so it opens anywhere, offline.
 * <p>
 * The markup is well-formed XML as well as HTML, and every figure is in an attribute
 * ({@code id}, {@code data-*}), so that a program can read the numbers back.
 */
final class HtmlReport {

	static final String SUCCESS_COLOR = "#2563eb";

	static final String CONFLICT_COLOR = "#ea580c";

	private static final List<String> TARGET_COLORS = List.of("#2563eb", "#0d9488", "#9333ea", "#ca8a04", "#db2777",
			"#4b5563");

	private static final String STYLE = """
			body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;
			background:#f8fafc;color:#0f172a}
			main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
			h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}
			.sub{color:#475569;margin:0 0 20px}
			.verdict{display:inline-block;padding:2px 12px;border-radius:6px;color:#fff;font-size:18px;
			vertical-align:middle;margin-left:10px}
			.ok{background:#16a34a}.fail{background:#dc2626}
			.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
			.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px}
			.card .name{color:#475569;font-size:13px}.card .value{font-size:24px;font-weight:600;margin-top:2px}
			.panel{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px}
			.legend span{margin-right:18px;font-size:14px}.swatch{display:inline-block;width:12px;height:12px;
			border-radius:2px;margin-right:6px;vertical-align:-1px}
			table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e2e8f0;font-size:14px}
			.panel+table{margin-top:12px}
			th,td{padding:6px 10px;border-bottom:1px solid #e2e8f0;text-align:right}
			th:first-child,td:first-child{text-align:left}th{background:#f1f5f9;font-weight:600}
			ul.checks{list-style:none;padding:0;margin:0}ul.checks li{background:#fff;border:1px solid #e2e8f0;
			border-radius:8px;padding:8px 12px;margin-bottom:6px}
			.mark{font-weight:700;margin-right:8px}.holds .mark{color:#16a34a}.broken .mark{color:#dc2626}
			svg{width:100%;height:auto;display:block}
			svg .label{font-size:12px;fill:#475569}svg .grid{stroke:#e2e8f0}svg .axis,svg .tick{stroke:#94a3b8}
			.note{color:#475569;font-size:13px;margin:6px 0 0}
			""";

	private HtmlReport() {
	}

	static String render(LoadReport report) {
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
			.append("<title>loadgen: ")
			.append(escape(report.sku()))
			.append(report.ok() ? " OK" : " FAILED")
			.append("</title><style>")
			.append(STYLE)
			.append("</style></head><body><main>");
		header(html, report);
		cards(html, report);
		invariants(html, report);
		perSecond(html, report);
		latency(html, report);
		targets(html, report);
		workers(html, report);
		return html.append("</main></body></html>\n").toString();
	}

	private static void header(StringBuilder html, LoadReport report) {
		html.append(format(
				"<h1>Load run on <code>%s</code> <span id=\"verdict\" data-ok=\"%s\" class=\"verdict %s\">"
						+ "%s</span></h1>",
				escape(report.sku()), report.ok(), report.ok() ? "ok" : "fail", report.ok() ? "OK" : "FAILED"));
		html.append(format("<p class=\"sub\">%d worker JVMs over %s: %s; %,d units set, %d per reduction%s</p>",
				report.workers(),
				(report.perTarget().size() == 1) ? "one target" : report.perTarget().size() + " targets",
				escape(report.target().replace(",", ", ")), report.initialStock(), report.quantity(),
				(report.strategy() != null) ? ", strategy " + escape(report.strategy()) : ""));
	}

	private static void cards(StringBuilder html, LoadReport report) {
		LoadReport.Latency latency = report.latencyMillis();
		html.append("<div class=\"cards\">");
		card(html, "units-sold", "units sold", report.successes() * report.quantity(), "%,d");
		card(html, "successes", "successful reductions", report.successes(), "%,d");
		card(html, "decrements-per-second", "decrements per second", report.decrementsPerSecond(), "%,.1f");
		card(html, "duration-seconds", "duration (s)", report.durationSeconds(), "%,.3f");
		card(html, "conflicts", "conflicts (retries)", report.conflicts(), "%,d");
		card(html, "conflicts-per-success", "conflicts per success", report.conflictsPerSuccess(), "%.2f");
		card(html, "latency-p50", "latency p50 (ms)", latency.p50(), "%,.3f");
		card(html, "latency-p99", "latency p99 (ms)", latency.p99(), "%,.3f");
		html.append("</div>");
	}

	private static void card(StringBuilder html, String id, String name, Number value, String pattern) {
		html.append(format("<div class=\"card\"><div class=\"name\">%s</div><div class=\"value\" id=\"%s\" "
				+ "data-value=\"%s\">%s</div></div>", name, id, value, format(pattern, value)));
	}

	private static void perSecond(StringBuilder html, LoadReport report) {
		html.append("<h2>Decrements and conflicts per second</h2><div class=\"panel\">");
		legend(html, List.of("decrements", "conflicts"), List.of(SUCCESS_COLOR, CONFLICT_COLOR));
		html.append(SvgChart.lines("per-second",
				List.of(new SvgChart.Series("decrements", SUCCESS_COLOR, report.perSecond().successes()),
						new SvgChart.Series("conflicts", CONFLICT_COLOR, report.perSecond().conflicts())),
				"per second"));
		double partial = report.durationSeconds() - Math.floor(report.durationSeconds());
		html.append("<p class=\"note\">Counted by the second in which the coordinator heard of them; "
				+ "a conflict is an aborted transaction that was retried.")
			.append((partial > 0) ? format(" The last point counts only the run's last %.3f s.", partial) : "")
			.append("</p></div>");
	}

	private static void latency(StringBuilder html, LoadReport report) {
		LoadReport.Latency latency = report.latencyMillis();
		html.append("<h2>Latency of successful reductions</h2><div class=\"panel\">");
		List<SvgChart.Bar> bars = new ArrayList<>();
		for (LoadReport.LatencyBucket bucket : report.latencyHistogram()) {
			String label = (bucket.toMillis() == Double.MAX_VALUE) ? "≥ " + number(bucket.fromMillis())
					: number(bucket.fromMillis()) + "–" + number(bucket.toMillis());
			bars.add(new SvgChart.Bar(label, bucket.count(), format("%,d calls took %s ms", bucket.count(), label)));
		}
		html.append(SvgChart.columns("latency-histogram", bars, SUCCESS_COLOR, "calls", "milliseconds per call"));
		html.append(format(
				"<p class=\"note\">p50 %s ms, p99 %s ms, max <span id=\"latency-max\" data-value=\"%s\">"
						+ "%s</span> ms, over %,d calls, each with its retries.</p></div>",
				number(latency.p50()), number(latency.p99()), latency.max(), number(latency.max()),
				report.successes()));
	}

	private static void workers(StringBuilder html, LoadReport report) {
		List<String> targets = report.perTarget().stream().map(LoadReport.TargetReport::target).toList();
		List<SvgChart.Bar> bars = new ArrayList<>();
		List<String> colors = new ArrayList<>();
		long[] successes = new long[report.perWorker().size()];
		for (int i = 0; i < report.perWorker().size(); i++) {
			LoadReport.WorkerReport worker = report.perWorker().get(i);
			int target = targets.indexOf(worker.target());
			bars.add(new SvgChart.Bar(format("worker %d (pid %d) → target %d", i + 1, worker.pid(), target + 1),
					worker.successes(),
					format("%,d successes, %,d conflicts", worker.successes(), worker.conflicts())));
			colors.add(TARGET_COLORS.get(Math.max(0, target) % TARGET_COLORS.size()));
			successes[i] = worker.successes();
		}
		html.append(format("<h2>Successes per worker (fairness index <span id=\"fairness\" data-value=\"%.3f\">%.3f"
				+ "</span>)</h2><div class=\"panel\">", jain(successes), jain(successes)));
		html.append(SvgChart.rows("per-worker", bars, colors));
		html.append("<p class=\"note\">Jain's fairness index: 1 when every worker sold as much as the others, "
				+ "1/n when one sold everything. Bars are coloured by target.</p></div>");
		html.append("<table id=\"workers\"><tr><th>worker</th><th>pid</th><th>target</th><th>successes</th>")
			.append("<th>conflicts</th><th>attempts</th><th>resent</th></tr>");
		for (int i = 0; i < report.perWorker().size(); i++) {
			LoadReport.WorkerReport worker = report.perWorker().get(i);
			html.append(format("<tr data-worker=\"%d\"><td>%d</td><td>%d</td><td>%s</td>%s%s%s%s</tr>", i + 1, i + 1,
					worker.pid(), escape(worker.target()), cell("successes", worker.successes()),
					cell("conflicts", worker.conflicts()), cell("attempts", worker.attempts()),
					cell("resent", worker.resent())));
		}
		html.append("</table>");
	}

	private static void targets(StringBuilder html, LoadReport report) {
		html.append("<h2>Per target</h2><table id=\"targets\"><tr><th>target</th><th>workers</th>")
			.append("<th>successes</th><th>conflicts</th><th>attempts</th><th>p50 ms</th><th>p99 ms</th>")
			.append("<th>max ms</th></tr>");
		for (int i = 0; i < report.perTarget().size(); i++) {
			LoadReport.TargetReport target = report.perTarget().get(i);
			html.append(format(
					"<tr data-target=\"%s\"><td><span class=\"swatch\" style=\"background:%s\"></span>"
							+ "%d. %s</td>%s%s%s%s<td>%s</td><td>%s</td><td>%s</td></tr>",
					escape(target.target()), TARGET_COLORS.get(i % TARGET_COLORS.size()), i + 1,
					escape(target.target()), cell("workers", target.workers()), cell("successes", target.successes()),
					cell("conflicts", target.conflicts()), cell("attempts", target.attempts()),
					number(target.latencyMillis().p50()), number(target.latencyMillis().p99()),
					number(target.latencyMillis().max())));
		}
		html.append("</table>");
	}

	private static void invariants(StringBuilder html, LoadReport report) {
		Invariants invariants = report.invariants();
		String finalStock = (report.finalStock() != null) ? format("%,d", report.finalStock()) : "unknown";
		html.append("<h2>Invariants</h2><ul class=\"checks\">");
		check(html, "conservation", invariants.conservation(), format("units sold %,d = initial %,d − final %s",
				report.successes() * report.quantity(), report.initialStock(), finalStock));
		check(html, "noOversell", invariants.noOversell(), "no success left a negative stock");
		check(html, "eachValueOnce", invariants.eachValueOnce(), format(
				"every remaining stock from %,d down was returned once", report.initialStock() - report.quantity()));
		if (invariants.exactlyOnce() != null) {
			check(html, "exactlyOnce", invariants.exactlyOnce(),
					format("despite %,d resent requests, each reduction took its units once", report.resent()));
		}
		for (LoadReport.Failure failure : report.failures()) {
			html.append(format(
					"<li class=\"broken\" data-failure=\"%d\"><span class=\"mark\">✗</span>worker %d "
							+ "(pid %d) %s</li>",
					failure.worker(), failure.worker(), failure.pid(), escape(failure.reason())));
		}
		html.append(format(
				"</ul><p class=\"note\">Final stock <span id=\"final-stock\" data-value=\"%s\">%s</span> "
						+ "of <span id=\"initial-stock\" data-value=\"%d\">%,d</span>.</p>",
				(report.finalStock() != null) ? report.finalStock() : "", finalStock, report.initialStock(),
				report.initialStock()));
	}

	private static void check(StringBuilder html, String name, boolean holds, String what) {
		html.append(format(
				"<li class=\"%s\" data-invariant=\"%s\" data-holds=\"%s\"><span class=\"mark\">%s</span>"
						+ "<strong>%s</strong>: %s</li>",
				holds ? "holds" : "broken", name, holds, holds ? "✓ holds" : "✗ broken", name, escape(what)));
	}

	private static void legend(StringBuilder html, List<String> names, List<String> colors) {
		html.append("<div class=\"legend\">");
		for (int i = 0; i < names.size(); i++) {
			html.append(format("<span><span class=\"swatch\" style=\"background:%s\"></span>%s</span>", colors.get(i),
					escape(names.get(i))));
		}
		html.append("</div>");
	}

	private static String cell(String field, long value) {
		return format("<td data-field=\"%s\" data-value=\"%d\">%,d</td>", field, value, value);
	}

	/**
	 * Jain's fairness index, {@code (sum x)^2 / (n * sum x^2)}: 1 for equal shares, 1/n
	 * when one worker has everything.
	 */
	static double jain(long[] shares) {
		double sum = 0;
		double squares = 0;
		for (long share : shares) {
			sum += share;
			squares += (double) share * share;
		}
		return (squares == 0) ? 1 : sum * sum / (shares.length * squares);
	}

	private static String number(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? format("%,d", (long) value)
				: format("%,.3f", value).replaceAll("0+$", "");
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
