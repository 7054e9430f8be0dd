package io.stockservice.loadgen;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report's charts, drawn as inline SVG by hand: a page that needs no network, no
 * script and no charting library to open, whose numbers sit in the markup as attributes
 * (a test reads them back), and that looks the same in every browser and in a screenshot.
 * A chart library inlined into the page would add hundreds of kilobytes to show three
 * charts.
 */
final class SvgChart {

	static final int WIDTH = 1100;

	private static final int LEFT = 64;

	private static final int RIGHT = 16;

	private static final int TOP = 16;

	private static final int BOTTOM = 44;

	private SvgChart() {
	}

	/** One line of a line chart. */
	record Series(String name, String color, long[] values) {
	}

	/** One bar of a bar chart. */
	record Bar(String label, long value, String title) {
	}

	/**
	 * Lines over the seconds of the run, one point per second at the middle of it.
	 */
	static String lines(String id, List<Series> series, String unit) {
		int height = 300;
		int seconds = series.stream().mapToInt((line) -> line.values().length).max().orElse(0);
		long max = series.stream().flatMapToLong((line) -> Arrays.stream(line.values())).max().orElse(0);
		Axis axis = Axis.upTo(max);
		double plotWidth = WIDTH - LEFT - RIGHT;
		double slot = plotWidth / Math.max(1, seconds);
		StringBuilder svg = open(id, height, "per-second chart");
		grid(svg, axis, height, unit);
		int every = Math.max(1, niceStep(Math.max(1, seconds) / 10.0));
		for (int second = 0; second <= seconds; second += every) {
			double x = LEFT + second * slot;
			svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"tick\"/>", x, height - BOTTOM,
					x, height - BOTTOM + 5));
			svg.append(format("<text x=\"%.1f\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%ds</text>", x,
					height - BOTTOM + 18, second));
		}
		svg.append(format("<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%s</text>",
				LEFT + (WIDTH - LEFT - RIGHT) / 2, height - 4, "seconds since the workers were released"));
		for (Series line : series) {
			StringBuilder points = new StringBuilder();
			StringBuilder dots = new StringBuilder();
			for (int i = 0; i < line.values().length; i++) {
				double x = LEFT + (i + 0.5) * slot;
				double y = axis.y(line.values()[i], height);
				points.append(format("%.1f,%.1f ", x, y));
				dots.append(format(
						"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>second %d: %,d %s"
								+ "</title></circle>",
						x, y, (line.values().length <= 60) ? 3 : 1, line.color(), i, line.values()[i],
						HtmlReport.escape(line.name())));
			}
			svg.append(format(
					"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
							+ "data-series=\"%s\" data-values=\"%s\"/>",
					points.toString().strip(), line.color(), HtmlReport.escape(line.name()), join(line.values())));
			svg.append(dots);
		}
		return svg.append("</svg>").toString();
	}

	/** Vertical bars, one per label, e.g. the latency histogram's buckets. */
	static String columns(String id, List<Bar> bars, String color, String unit, String xTitle) {
		int height = 300;
		long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
		Axis axis = Axis.upTo(max);
		double slot = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, bars.size());
		StringBuilder svg = open(id, height, xTitle);
		grid(svg, axis, height, unit);
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			double x = LEFT + i * slot + slot * 0.1;
			double y = axis.y(bar.value(), height);
			svg.append(format(
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
							+ "data-label=\"%s\" data-count=\"%d\"><title>%s</title></rect>",
					x, y, slot * 0.8, height - BOTTOM - y, color, HtmlReport.escape(bar.label()), bar.value(),
					HtmlReport.escape(bar.title())));
			svg.append(format("<text x=\"%.1f\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%s</text>",
					x + slot * 0.4, height - BOTTOM + 16, HtmlReport.escape(bar.label())));
		}
		svg.append(format("<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%s</text>",
				LEFT + (WIDTH - LEFT - RIGHT) / 2, height - 4, HtmlReport.escape(xTitle)));
		return svg.append("</svg>").toString();
	}

	/** Horizontal bars, one per row, labelled on the left: e.g. successes per worker. */
	static String rows(String id, List<Bar> bars, List<String> colors) {
		int rowHeight = 22;
		int labelWidth = 250;
		int height = TOP + bars.size() * rowHeight + 8;
		long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(0));
		double plotWidth = WIDTH - labelWidth - 90;
		StringBuilder svg = open(id, height, "bars");
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			int y = TOP + i * rowHeight;
			double width = plotWidth * bar.value() / max;
			svg.append(format("<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text>", labelWidth - 8,
					y + 15, HtmlReport.escape(bar.label())));
			svg.append(format(
					"<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" data-count=\"%d\">"
							+ "<title>%s</title></rect>",
					labelWidth, y + 3, width, rowHeight - 6, colors.get(i % colors.size()), bar.value(),
					HtmlReport.escape(bar.title())));
			svg.append(format("<text x=\"%.1f\" y=\"%d\" class=\"label\">%,d</text>", labelWidth + width + 6, y + 15,
					bar.value()));
		}
		return svg.append("</svg>").toString();
	}

	private static StringBuilder open(String id, int height, String label) {
		return new StringBuilder(format("<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
				+ "role=\"img\" aria-label=\"%s\">", id, WIDTH, height, HtmlReport.escape(label)));
	}

	/** Horizontal grid lines with their values, and the axes. */
	private static void grid(StringBuilder svg, Axis axis, int height, String unit) {
		for (int i = 0; i <= axis.steps(); i++) {
			long value = i * axis.step();
			double y = axis.y(value, height);
			svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"%s\"/>", LEFT, y,
					WIDTH - RIGHT, y, (i == 0) ? "axis" : "grid"));
			svg.append(format("<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%,d</text>", LEFT - 6,
					y + 4, value));
		}
		svg.append(format(
				"<text x=\"12\" y=\"%d\" class=\"label\" transform=\"rotate(-90 12 %d)\" "
						+ "text-anchor=\"middle\">%s</text>",
				TOP + (height - TOP - BOTTOM) / 2, TOP + (height - TOP - BOTTOM) / 2, HtmlReport.escape(unit)));
		svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT, TOP, LEFT,
				height - BOTTOM));
	}

	/** A value axis from 0 to a round number at or above the largest value. */
	private record Axis(long step, int steps) {

		static Axis upTo(long max) {
			long step = niceStep(Math.max(1, max) / 4.0);
			return new Axis(step, (int) Math.max(1, (max + step - 1) / step));
		}

		double y(long value, int height) {
			double top = this.step * this.steps;
			return height - BOTTOM - (height - BOTTOM - TOP) * (value / top);
		}

	}

	/** The smallest of 1, 2, 5, 10, 20, 50, ... that is at least {@code rough}. */
	static int niceStep(double rough) {
		long step = 1;
		while (true) {
			for (int factor : new int[] { 1, 2, 5 }) {
				if (step * factor >= rough) {
					return (int) Math.min(Integer.MAX_VALUE, step * factor);
				}
			}
			step *= 10;
		}
	}

	private static String join(long[] values) {
		StringBuilder text = new StringBuilder();
		for (long value : values) {
			text.append((text.length() > 0) ? "," : "").append(value);
		}
		return text.toString();
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
