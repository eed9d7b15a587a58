"""The report page: its sections in order (what failed first on a failed run), text from the
tables escaped, and nothing in it that would reach outside the file."""
import re

from report import render_report
from tests.report_sample import HOSTILE, sample

SECTIONS = ["run", "checks", "cleaning", "people", "over-time"]


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', page)


def test_a_passed_run_has_the_five_sections_in_order():
    page = render_report(sample())
    assert section_ids(page) == SECTIONS
    assert '<span class="status passed">passed</span>' in page


def test_a_failed_run_opens_with_the_failed_expectation_and_its_examples():
    page = render_report(sample(success=False))
    assert section_ids(page) == ["failed", *SECTIONS]
    failed = page[page.index('<section id="failed">'):page.index('<section id="run">')]
    assert "articles: expect_column_values_to_be_between(word_count)" in failed
    assert "failed on 1 row" in failed and ">900<" in failed
    assert 'href="validation/validations/articles/run-x/t/newspipe-articles.html"' in failed


def test_text_from_the_tables_is_escaped():
    for success in (True, False):
        page = render_report(sample(success))
        assert HOSTILE not in page and "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page


def test_the_page_needs_nothing_outside_the_file():
    """No tag loads anything; links go to an anchor or to the Data Docs beside the report."""
    page = render_report(sample())
    tags = re.findall(r"<[a-z][^>]*>", page)
    assert [t for t in tags if re.search(r"\s(src|srcset|href|xlink:href|data)=\"(?!#|validation/)", t)] == []
    assert not re.search(r"<(script|link|iframe|object|embed|img)\b|@import|url\(", page)


def test_every_chart_is_inline_svg_named_for_the_browser_test():
    page = render_report(sample())
    charts = re.findall(r'<svg class="chart" data-chart="([^"]+)"', page)
    assert {"phases", "files", "rejects", "lines-dropped", "languages", "word-counts", "entity-labels",
            "top-PERSON", "speakers", "quote-types", "confidence", "runs-articles", "published"} <= set(charts)
