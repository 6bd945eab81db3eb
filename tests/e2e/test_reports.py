"""工作文稿: the demo community's staff generate the year's 工作总结, edit a paragraph, regenerate
(the edit kept), download the .docx (Simplified and Traditional) and the PDF; the .docx is read
back: its headings, every figure against the records, the Chinese date, the Traditional title.
Then the community submits it and the street finds it in its roll-up and returns it once."""

import io
import re

import pytest
from django.utils import timezone
from docx import Document as WordDocument

from apps.reports import generator
from apps.reports.models import Report

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

EDIT = "我社区把创卫作为民生实事来抓，"


def _docx(download) -> WordDocument:
    with open(download.path(), "rb") as handle:
        return WordDocument(io.BytesIO(handle.read()))


def _expected_paragraphs(report) -> list[str]:
    """Every paragraph of the report's text with each figure computed afresh from the records."""
    node = report.jurisdiction
    out = []
    for part in report.parts.all():
        values = generator.compute_figures(
            generator.keys_in(part.text), node.path, report.period_start, report.period_end
        )
        for paragraph in generator.paragraphs_of(part.text, values, style=report.number_style):
            out.append(paragraph.text)
    return out


def test_community_writes_its_year_summary_and_the_street_returns_it(new_page, demo):
    page = new_page(viewport=DESKTOP)
    login(page, "dongyuan")
    page.click(".mainnav a[data-nav='documents']")
    page.wait_for_url("**/reports/documents/")
    page.click("[data-testid=report-new]")
    page.select_option("#id_kind", "year_summary")
    page.click("[data-testid=report-generate]")
    page.wait_for_url(re.compile(r".*/reports/documents/\d+/$"))
    report = Report.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    year = timezone.localdate().year
    assert page.locator("[data-testid=report-title]").inner_text() == f"东苑社区{year}年创卫工作总结"
    text = page.locator("[data-testid=report-text]")
    assert "一、主要工作及成效" in text.inner_text() and "存在的问题" in text.inner_text()
    # Every figure on the page links to its records.
    figures = text.locator("a.figure")
    assert figures.count() >= 5
    shot(page, "report-draft")

    # Edit the environment section: a sentence of one's own in front, the figures kept.
    section = report.parts.filter(kind="section").exclude(key="nothing").order_by("order").last()
    page.click(f"[data-testid='part-edit-{section.key}']")
    area = page.locator("#id_text")
    original = area.input_value()
    assert "{" in original  # figures shown by name
    area.fill(EDIT + original)
    page.click("[data-testid=part-save]")
    page.wait_for_url(re.compile(r".*/reports/documents/\d+/(#.*)?$"))
    assert EDIT in text.inner_text()

    # Regenerate: the figures are recomputed, the edit stays.
    page.click("[data-testid=report-regenerate]")
    page.wait_for_selector(".msg-success")
    assert "修改过的段落保留原文" in page.locator(".messages").inner_text()
    assert EDIT in text.inner_text()
    report.refresh_from_db()
    assert [r.reason for r in report.revisions.order_by("number")] == ["生成", "编辑", "重新生成"]

    # The .docx: headings, every figure as the records give it now, the date in Chinese numerals.
    with page.expect_download() as download:
        page.click("[data-testid='docx-zh-hans']")
    word = _docx(download.value)
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == f"东苑社区{year}年创卫工作总结"
    assert "一、主要工作及成效" in paragraphs and "（一）组织领导" in paragraphs
    assert any(p.startswith("二、存在的问题") for p in paragraphs) or "二、存在的问题" in paragraphs
    body = "\n".join(paragraphs)
    for expected in _expected_paragraphs(report):
        assert expected in body, expected
    assert EDIT in body
    issued = report.issued_on or report.period_end
    from apps.documents.docx import chinese_date

    assert paragraphs[-1] == chinese_date(issued) and paragraphs[-2] == "东苑社区"

    # The Traditional version: the title as seed 004 writes it.
    with page.expect_download() as download:
        page.click("[data-testid='docx-zh-hant']")
    traditional = _docx(download.value)
    assert traditional.paragraphs[0].text == f"東苑社區{year}年創衛工作總結"

    # PDF, built in the background while the page polls.
    page.click("[data-testid=pdf-request]", no_wait_after=True)  # the conversion runs inline when tasks are eager
    page.wait_for_selector("[data-testid=pdf-download]", timeout=120_000)
    with page.expect_download() as download:
        page.click("[data-testid=pdf-download]")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    shot(page, "report-exports")

    # Sign off (定稿) and submit to the street from the document's own page.
    page.click("[data-testid=report-finalize]")
    page.wait_for_selector("[data-testid=report-status]:text('定稿')")
    assert page.locator("[data-testid=part-edit-opening]").count() == 0  # locked
    page.click("[data-testid=submission-submit]")
    page.wait_for_selector("[data-testid=submission-status][data-status='submitted']")

    # The street finds it in its 报送 list, beside the roll-up computed from the records, and returns it once.
    street = new_page(viewport=DESKTOP)
    login(street, "street")
    street.click(".mainnav a[data-nav='submissions']")
    row = street.locator(f"[data-testid=submission-rows] tr[data-sender='{report.jurisdiction_id}']")
    assert row.get_attribute("data-status") == "submitted" and report.title in row.inner_text()
    cases = street.locator("[data-group='cases'][data-loaded='1']")
    cases.wait_for()
    assert "东苑社区" in cases.locator("[data-testid=rollup]").inner_text()
    row.locator("[data-testid=row-return-open]").click()
    row.locator("textarea[name=reason]").fill("请补充除四害工作的数据来源")
    row.locator("[data-testid=row-return]").click()
    street.wait_for_selector(f"tr[data-sender='{report.jurisdiction_id}'][data-status='returned']")
    assert street.locator(f"tr[data-sender='{report.jurisdiction_id}'] [data-testid=row-return-open]").count() == 0
    shot(street, "report-returned-street")

    # Back at the community: 退回 with the reason, the document a draft again.
    page.reload()
    assert page.locator("[data-testid=submission-status]").get_attribute("data-status") == "returned"
    assert "请补充除四害工作的数据来源" in page.locator("[data-testid=submission-reason]").inner_text()
    assert page.locator("[data-testid=report-status]").inner_text() == "草稿"

    # On a phone the draft reads without sideways scrolling.
    phone = new_page(viewport=PHONE)
    login(phone, "dongyuan")
    phone.goto(f"/reports/documents/{report.pk}/")
    assert_no_horizontal_overflow(phone)
    shot(phone, "report-draft-390")
