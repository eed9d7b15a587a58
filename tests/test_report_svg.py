"""The charts: one mark per value carrying it, lengths in proportion, labels escaped, nothing drawn
for no data."""
from html import unescape
import re

from report import svg


def marks(chart: str) -> list[tuple[str, float]]:
    return [(label, float(value)) for label, value in re.findall(r'data-label="([^"]*)" data-value="([^"]*)"', chart)]


def test_bars_carry_their_values_and_are_drawn_in_proportion():
    chart = svg.bar_chart("files", [("new", 30), ("changed", 15), ("deleted", 0)])
    assert chart.startswith('<svg class="chart" data-chart="files"')
    assert marks(chart) == [("new", 30), ("changed", 15), ("deleted", 0)]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', chart)]
    assert widths[0] == 2 * widths[1] and widths[2] == 0


def test_labels_are_escaped_and_long_ones_cut_with_the_whole_in_the_tooltip():
    label = '<b onclick="x()">' + "a" * 80
    chart = svg.bar_chart("speakers", [(label, 1)])
    assert "<b " not in chart and "&lt;b onclick=&quot;x()&quot;&gt;" in chart
    shown = re.search(r'text-anchor="end">([^<]*)</text>', chart).group(1)
    assert shown.endswith("…") and len(unescape(shown)) == 230 // svg.CHAR_WIDTH
    assert "a" * 80 + ": 1</title>" in chart


def test_a_histogram_ticks_where_bins_start_and_a_series_labels_its_ends():
    chart = svg.histogram("word-counts", [("0", "0–50", 2), ("50", "50–100", 5)])
    assert marks(chart) == [("0–50", 2), ("50–100", 5)] and ">50</text>" in chart
    series = svg.time_series("runs", [("12-01", 4), ("12-02", 6), ("12-03", 5)])
    assert marks(series) == [("12-01", 4), ("12-02", 6), ("12-03", 5)]
    assert ">12-01</text>" in series and ">12-03</text>" in series and ">12-02</text>" not in series


def test_no_data_draws_no_chart_but_says_so():
    for chart in (svg.bar_chart("rejects", []), svg.histogram("h", []), svg.time_series("t", [])):
        assert "<svg" not in chart and "none" in chart and "data-chart=" in chart


def test_numbers_are_written_with_thousands_separators():
    assert (svg.number(1234), svg.number(0.5), svg.number(3.0)) == ("1,234", "0.50", "3")
