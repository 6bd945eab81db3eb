"""Generated documents: drafting from registered sections and figures, editing with figure names,
regenerating (edits kept, figures refreshed), versions, sign-off, and who may write."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from apps.core.audit import AuditEvent
from apps.core.evidence import FigureSource, FigureValue
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction
from apps.core.registry import AppEntries, registry
from apps.core.reporting import ReportSection, ReportSentence
from apps.organization.models import Unit
from apps.reports import generator, services
from apps.reports.choices import PartKind, ReportStatus

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 12, 31)


def _units(path, start, end):
    count = Unit.objects.filter(jurisdiction__path__within=path).count()
    return FigureValue(Decimal(count), url=f"/units/?path={path}")


def _zero(path, start, end):
    return FigureValue(Decimal(0), url="/zero/")


def _many(path, start, end):
    return FigureValue(Decimal(153), url="/many/")


def _rate(path, start, end):
    return FigureValue(Decimal("87.50"), Decimal(7), Decimal(8), url="/rate/")


FIGURES = [
    FigureSource("fake.units", "测试单位数", "个", _units),
    FigureSource("fake.zero", "测试零项", "次", _zero),
    FigureSource("fake.many", "测试商铺", "家", _many),
    FigureSource("fake.rate", "测试比率", "%", _rate),
]
SECTIONS = [
    ReportSection(
        "fake.env",
        "环境卫生整治",
        300,
        [
            ReportSentence("辖区共有单位{fake.units}，按期率{fake.rate}。"),
            ReportSentence("开展零项{fake.zero}。"),
            ReportSentence("与{fake.many}商铺签订责任书。"),
        ],
        problems=lambda path, start, end: ["尚有问题未整改。"],
        plans=lambda path, start, end: ["持续巩固整治成果。"],
    ),
    ReportSection("fake.org", "组织领导", 100, [ReportSentence("成立创卫工作小组。", always=True)]),
]


@pytest.fixture
def fakes(monkeypatch):
    registry.apps["fake"] = AppEntries(label="fake", figures=FIGURES)
    monkeypatch.setattr(generator, "sections", lambda: sorted(SECTIONS, key=lambda s: s.order))
    yield
    del registry.apps["fake"]


def _create(org, **extra):
    fields = {
        "actor": org.community,
        "jurisdiction": org.comm_a1,
        "kind": "year_summary",
        "period_start": START,
        "period_end": END,
    } | extra
    return services.report_create(**fields)


def test_a_draft_is_written_from_the_sections_and_figures(org, fakes):
    report = _create(org)
    parts = list(report.parts.all())
    assert [(p.kind, p.key) for p in parts] == [
        (PartKind.OPENING, "opening"),
        (PartKind.SECTION, "fake.org"),
        (PartKind.SECTION, "fake.env"),
        (PartKind.PROBLEMS, "problems"),
        (PartKind.PLANS, "plans"),
    ]
    assert report.title == "甲一社区2026年创卫工作总结"
    assert "现将有关情况总结如下" in parts[0].text and "2026年度" in parts[0].text
    env = parts[2]
    # The zero sentence is left out; the others keep their placeholders, values beside them.
    assert env.text == "辖区共有单位{fake.units}，按期率{fake.rate}。与{fake.many}商铺签订责任书。"
    assert env.figures["fake.units"]["value"] == "2" and env.figures["fake.units"]["url"].startswith("/units/")
    assert env.figures["fake.rate"]["numerator"] == "7"
    assert parts[3].text == "尚有问题未整改。" and parts[4].text == "持续巩固整治成果。"
    assert report.revisions.count() == 1
    assert AuditEvent.objects.filter(action="reports.report.created", object_id=str(report.pk)).exists()


def test_the_printed_document_numbers_headings_and_links_figures(org, fakes):
    report = _create(org)
    printed = generator.document_for(report, list(report.parts.all()))
    numbered = [(number, block.heading) for number, block in printed.numbered()]
    assert numbered == [
        ("", ""),
        ("一、", "主要工作及成效"),
        ("（一）", "组织领导"),
        ("（二）", "环境卫生整治"),
        ("二、", "存在的问题"),
        ("三、", "下一步打算"),
    ]
    runs = {run.figure_key: run for run in printed.figures}
    assert runs["fake.units"].text == "2个" and runs["fake.units"].url == f"/units/?path={org.comm_a1.path}"
    assert runs["fake.rate"].text == "87.5%"
    assert runs["fake.many"].text == "153家" and runs["fake.many"].exact == ""


def test_the_number_style_rounds_counts_and_keeps_the_exact_figure(org, fakes):
    report = _create(org, number_style=True)
    runs = {run.figure_key: run for run in generator.document_for(report, list(report.parts.all())).figures}
    assert runs["fake.many"].text == "150余家" and runs["fake.many"].exact == "153家"
    assert runs["fake.rate"].text == "87.5%"  # a rate is never rounded


def test_regenerating_refreshes_figures_and_keeps_edits(org, fakes):
    report = _create(org)
    env = report.parts.get(key="fake.env")
    opening = report.parts.get(key="opening")
    editable = generator.editable_text(env.text)
    assert editable.startswith("辖区共有单位{测试单位数}")
    services.part_edit(
        actor=org.community,
        report=report,
        part=env,
        text="我们共联系辖区单位{测试单位数}，比率{fake.rate}。",
        expected_version=report.version,
    )
    report.refresh_from_db()
    env.refresh_from_db()
    assert env.text == "我们共联系辖区单位{fake.units}，比率{fake.rate}。" and env.edited
    Unit.objects.create(name="新增单位", jurisdiction=org.comm_a1, unit_type=org.unit_a1b.unit_type)
    opening.text = opening.generated  # untouched
    report, kept = services.report_regenerate(actor=org.community, report=report, expected_version=report.version)
    env.refresh_from_db()
    assert env.text == "我们共联系辖区单位{fake.units}，比率{fake.rate}。"
    assert env.figures["fake.units"]["value"] == "3"
    assert kept == ["环境卫生整治"]
    assert [r.reason for r in report.revisions.order_by("number")] == ["生成", "编辑", "重新生成"]
    edit = AuditEvent.objects.get(action="reports.report.part_edited", object_id=str(report.pk))
    assert edit.data["changes"]["text"][1] == env.text


def test_an_unknown_figure_name_is_refused_and_nothing_is_saved(org, fakes):
    report = _create(org)
    env = report.parts.get(key="fake.env")
    with pytest.raises(generator.UnknownFigures) as error:
        services.part_edit(
            actor=org.community, report=report, part=env, text="共有{不存在的数字}。", expected_version=report.version
        )
    assert error.value.names == ["不存在的数字"]
    env.refresh_from_db()
    assert env.text == env.generated and report.revisions.count() == 1


def test_a_stale_version_is_refused(org, fakes):
    report = _create(org)
    env = report.parts.get(key="fake.env")
    services.part_edit(actor=org.community, report=report, part=env, text="甲", expected_version=report.version)
    with pytest.raises(ConcurrentEdit):
        services.part_edit(actor=org.community, report=report, part=env, text="乙", expected_version=report.version)
    env.refresh_from_db()
    assert env.text == "甲"


def test_only_the_reports_own_level_writes_and_signs_it_off(org, fakes):
    report = _create(org)
    with pytest.raises(OutsideJurisdiction):
        services.report_regenerate(actor=org.street, report=report, expected_version=report.version)
    with pytest.raises(OutsideJurisdiction):
        services.report_finalize(actor=org.street, report=report, expected_version=report.version, blocking=[])
    with pytest.raises(OutsideJurisdiction):
        _create(org, actor=org.street)
    with pytest.raises(DomainError):
        services.report_finalize(actor=org.community, report=report, expected_version=report.version, blocking=["x"])
    report = services.report_finalize(actor=org.community, report=report, expected_version=report.version, blocking=[])
    assert report.status == ReportStatus.FINAL and report.finalized_by == org.community
    part = report.parts.first()
    with pytest.raises(DomainError):
        services.part_edit(actor=org.community, report=report, part=part, text="改", expected_version=report.version)
    assert report.revisions.first().reason == "定稿"


def test_bad_periods_and_a_report_without_addressee_are_refused(org, fakes):
    with pytest.raises(DomainError):
        _create(org, period_start=END, period_end=START)
    with pytest.raises(DomainError):
        _create(org, kind="report")
    report = _create(org, kind="report", addressee="甲街道办事处")
    printed = generator.document_for(report, list(report.parts.all()))
    assert printed.addressee == "甲街道办事处" and report.title == "甲一社区关于2026年度创卫工作情况的汇报"


def test_the_english_version_is_written_from_the_same_figures(org, fakes):
    report = _create(org)
    parts = list(report.parts.all())
    english = generator.english_parts(report, parts, org.community)
    printed = generator.document_for(report, parts, language="en", generated_parts=english)
    with translation.override("en"):
        assert printed.title == generator.default_title(report.kind, report.office, START, END)
    assert "Summary" in printed.title or "summary" in printed.title
    runs = {run.figure_key: run.text for run in printed.figures}
    assert runs["fake.units"].startswith("2")


def test_the_annex_adds_a_table_of_figures_and_a_chart_of_rates(org, fakes):
    import io

    from docx import Document as WordDocument

    from apps.reports import exports

    report = _create(org)
    plain = WordDocument(io.BytesIO(exports.report_docx(report, "zh-hans", org.community)))
    assert len(plain.tables) == 0 and len(plain.inline_shapes) == 0
    word = WordDocument(
        io.BytesIO(exports.report_docx(report, "zh-hans", org.community, with_table=True, with_chart=True))
    )
    rows = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert ["测试单位数", "2个"] in rows and ["测试比率", "87.5%"] in rows
    assert len(word.inline_shapes) == 1  # the bar chart of the one rate quoted
    printed = exports.document(report, "zh-hans", org.community, with_chart=True)
    assert printed.charts == [("附图：文中比率（百分比）", ["测试比率"], [87.5])]
