package io.stockservice.loadgen;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report of a crafted run (the one of {@link LoadReportTests}): every figure it
 * shows is the report's, and it needs nothing from the network to open.
 */
class HtmlReportTests {

	static LoadReport report(List<LoadReport.Failure> failures) {
		return LoadReport.of(LoadReportTests.OPTIONS, LoadReportTests.run(failures), 0L);
	}

	@Test
	void theHeadlineFiguresAreTheReportsOwn() throws Exception {
		HtmlPage page = HtmlPage.parse(HtmlReport.render(report(List.of())));

		assertThat(page.value("verdict")).isEmpty();
		assertThat(page.all("//*[@id='verdict'][@data-ok='true']")).hasSize(1);
		assertThat(page.value("successes")).isEqualTo("4");
		assertThat(page.value("conflicts")).isEqualTo("4");
		assertThat(page.value("decrements-per-second")).isEqualTo("2.7");
		assertThat(page.value("latency-p99")).isEqualTo("8.0");
		assertThat(page.value("final-stock")).isEqualTo("0");
		assertThat(page.value("initial-stock")).isEqualTo("4");
	}

	@Test
	void thePerSecondChartCarriesEverySuccessAndConflictOfTheRun() throws Exception {
		HtmlPage page = HtmlPage.parse(HtmlReport.render(report(List.of())));

		assertThat(
				page.all("//*[local-name()='polyline'][@data-series='decrements']").get(0).getAttribute("data-values"))
			.isEqualTo("3,1");
		assertThat(page.seriesSum("conflicts")).isEqualTo(4);
	}

	@Test
	void theHistogramAndTheWorkerBarsCountEverySuccessOnce() throws Exception {
		HtmlPage page = HtmlPage.parse(HtmlReport.render(report(List.of())));

		assertThat(page.countSum("latency-histogram")).isEqualTo(4);
		assertThat(page.countSum("per-worker")).isEqualTo(4);
		assertThat(page.cell("//tr[@data-worker='2']", "successes")).isEqualTo(1);
	}

	@Test
	void eachTargetHasARowWithItsWorkersAndFigures() throws Exception {
		HtmlPage page = HtmlPage.parse(HtmlReport.render(report(List.of())));
		String first = "//table[@id='targets']//tr[@data-target='" + LoadReportTests.FIRST + "']";
		String second = "//table[@id='targets']//tr[@data-target='" + LoadReportTests.SECOND + "']";

		assertThat(page.cell(first, "workers")).isEqualTo(2);
		assertThat(page.cell(first, "successes")).isEqualTo(3);
		assertThat(page.cell(second, "conflicts")).isEqualTo(1);
		assertThat(page.cell(second, "attempts")).isEqualTo(3);
	}

	@Test
	void everyInvariantIsListedWithItsVerdict() throws Exception {
		HtmlPage page = HtmlPage.parse(HtmlReport.render(report(List.of())));

		assertThat(page.all("//li[@data-invariant]"))
			.extracting((item) -> item.getAttribute("data-invariant") + "=" + item.getAttribute("data-holds"))
			.containsExactly("conservation=true", "noOversell=true", "eachValueOnce=true");
	}

	@Test
	void aFailedWorkerIsShownEscapedAndTheVerdictIsFailed() throws Exception {
		String html = HtmlReport
			.render(report(List.of(new LoadReport.Failure(2, 12, "gave up: <Redis> & friends", "the log tail"))));
		HtmlPage page = HtmlPage.parse(html);

		assertThat(page.all("//*[@id='verdict'][@data-ok='false']")).hasSize(1);
		assertThat(page.all("//li[@data-failure='2']").get(0).getTextContent()).contains("gave up: <Redis> & friends");
		assertThat(html).doesNotContain("the log tail");
	}

	@Test
	void thePageLoadsNothingFromElsewhere() {
		String html = HtmlReport.render(report(List.of()));

		assertThat(html).doesNotContain("<script")
			.doesNotContain("<link")
			.doesNotContain("src=")
			.doesNotContain("@import")
			.doesNotContain("url(");
		assertThat(html.replace("http://www.w3.org/2000/svg", "")
			.replace(LoadReportTests.FIRST, "")
			.replace(LoadReportTests.SECOND, "")).doesNotContain("http");
	}

	@Test
	void fairnessIsOneForEqualSharesAndOneOverNWhenOneWorkerSoldEverything() {
		assertThat(HtmlReport.jain(new long[] { 5, 5, 5, 5 })).isEqualTo(1.0);
		assertThat(HtmlReport.jain(new long[] { 20, 0, 0, 0 })).isEqualTo(0.25);
	}

}
