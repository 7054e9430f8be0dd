package io.stockservice.loadgen;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The HTML report read back as a document: it is well-formed XML, so the JDK's own parser
 * and XPath find its figures by their ids and data attributes, with no HTML library.
 */
final class HtmlPage {

	private final Document document;

	private HtmlPage(Document document) {
		this.document = document;
	}

	static HtmlPage parse(String html) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(false);
		return new HtmlPage(
				factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8))));
	}

	/** The elements an XPath expression selects. */
	List<Element> all(String xpath) throws Exception {
		NodeList nodes = (NodeList) XPathFactory.newInstance()
			.newXPath()
			.evaluate(xpath, this.document, XPathConstants.NODESET);
		List<Element> elements = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			elements.add((Element) nodes.item(i));
		}
		return elements;
	}

	/** The {@code data-value} of the element with that id. */
	String value(String id) throws Exception {
		List<Element> found = all("//*[@id='" + id + "']");
		if (found.size() != 1) {
			throw new AssertionError("Expected one element with id " + id + ", found " + found.size());
		}
		return found.get(0).getAttribute("data-value");
	}

	/** The {@code data-value} of a cell of a table row. */
	long cell(String rowXpath, String field) throws Exception {
		List<Element> cells = all(rowXpath + "/td[@data-field='" + field + "']");
		if (cells.size() != 1) {
			throw new AssertionError("Expected one " + field + " cell in " + rowXpath + ", found " + cells.size());
		}
		return Long.parseLong(cells.get(0).getAttribute("data-value"));
	}

	/** The sum of the comma-separated {@code data-values} of a chart's series. */
	long seriesSum(String series) throws Exception {
		List<Element> lines = all("//*[local-name()='polyline'][@data-series='" + series + "']");
		if (lines.size() != 1) {
			throw new AssertionError("Expected one series " + series + ", found " + lines.size());
		}
		long sum = 0;
		for (String value : lines.get(0).getAttribute("data-values").split(",")) {
			sum += value.isEmpty() ? 0 : Long.parseLong(value);
		}
		return sum;
	}

	/** The sum of {@code data-count} over the bars of a chart. */
	long countSum(String chartId) throws Exception {
		return all("//*[@id='" + chartId + "']/*[local-name()='rect']").stream()
			.mapToLong((bar) -> Long.parseLong(bar.getAttribute("data-count")))
			.sum();
	}

}
