"""What inspections offer the evidence ledger (台账) and the self-assessment, through the registry.

- `inspections.sheet` (已提交检查表): submitted sheets inside a subtree, dated by the inspection
  day; a rule narrows them by checklist template code. The binder gets a generated .docx of the
  sheet with its findings.
- `inspections.ranking` (评比通报): published rankings of a jurisdiction inside the subtree, dated
  by the end of their period; the binder gets the 通报 .docx of apps/inspections/documents.py.
- `inspections.average_percent` (检查平均得分): the mean 百分制 score of the submitted sheets.
- `inspections.sheets` (已提交检查表, 份): the submitted sheets of the subtree inspected in the
  period (the population of the average).
- `inspections.red_flags` / `inspections.yellow_flags` (面): 流动红旗 / 黄旗 awarded, and not
  revoked, by rankings whose period ends in the period, to a place of the subtree (a ranked
  jurisdiction inside it, or a ranked unit located in it), whoever published the ranking. Their
  link is the flag history (the page has no filters).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from urllib.parse import urlencode

from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceFile,
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    in_working_language,
    int_ids,
    narrow,
    window,
)
from apps.organization.models import Jurisdiction, Unit

from .choices import FlagKind, InspectionStatus
from .models import ChecklistTemplate, FlagAward, Inspection, InspectionResult, PublishedRanking
from .rankings import LEVEL_PREFIX, UNIT_PREFIX

RECORD_LIMIT = 20000


def _day(row: dict) -> date:
    if row.get("inspected_on"):
        return row["inspected_on"]
    moment = row.get("submitted_at")
    return timezone.localdate(moment) if isinstance(moment, datetime) else timezone.localdate()


def _sheets(query: EvidenceQuery):
    qs = Inspection.objects.filter(
        status=InspectionStatus.SUBMITTED, target_jurisdiction__path__within=query.jurisdiction_path
    )
    if query.start:
        qs = qs.filter(inspected_on__gte=query.start)
    if query.end:
        qs = qs.filter(inspected_on__lte=query.end)
    if query.category:
        qs = qs.filter(checklist__template__code=query.category)
    return qs


def sheet_records(query: EvidenceQuery):
    """One query: a page of the submitted sheets of the query, newest first (search: template,
    target unit or area name)."""
    search = ("checklist__template__name", "target_unit__name", "target_jurisdiction__name")
    rows = (
        narrow(_sheets(query), query, search_fields=search)
        .order_by("-inspected_on", "-id")
        .values(
            "id",
            "inspected_on",
            "submitted_at",
            "percent",
            "checklist__template__name",
            "target_unit__name",
            "target_jurisdiction__name",
            "target_jurisdiction__path",
        )
    )
    for row in window(rows, query, RECORD_LIMIT):
        target = row["target_unit__name"] or row["target_jurisdiction__name"]
        score = f" {row['percent']}" if row["percent"] is not None else ""
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['checklist__template__name']} {target}{score}".strip(),
            occurred_on=_day(row),
            jurisdiction_path=row["target_jurisdiction__path"],
            url=reverse("inspections:inspection_detail", args=[row["id"]]),
        )


@in_working_language
def _sheet_docx(sheet: Inspection, results: list[InspectionResult]) -> bytes:
    """检查记录 of a sheet for the binder, in the working language (apps.core.evidence.in_working_language)."""
    from apps.documents.docx import new_document, paragraph, save_document, title

    document = new_document()
    title(document, gettext("{template}检查记录").format(template=sheet.checklist.template.name))
    target = sheet.target_unit.name if sheet.target_unit_id else sheet.target_jurisdiction.name
    total = sheet.total if sheet.total is not None else ""
    percent = sheet.percent if sheet.percent is not None else ""
    for line in (
        gettext("被检查对象：{value}").format(value=target),
        gettext("所在辖区：{value}").format(value=sheet.target_jurisdiction.name),
        gettext("检查日期：{value}").format(value=sheet.inspected_on or ""),
        gettext("得分：{total} / {max}（百分制 {percent}）").format(total=total, max=sheet.max_total, percent=percent),
    ):
        paragraph(document, line, indent=False)
    paragraph(document, gettext("检查发现"), indent=False, bold=True)
    findings = [r for r in results if not r.passed or r.deduction]
    if not findings:
        paragraph(document, gettext("（未发现问题）"), indent=False)
    for number, result in enumerate(findings, start=1):
        finding = gettext("{number}. {code} {text}，问题 {n} 处，扣 {deduction} 分").format(
            number=number,
            code=result.item.code,
            text=result.item.text,
            n=result.occurrences,
            deduction=result.deduction,
        )
        note = gettext("：{note}").format(note=result.note) if result.note else ""
        paragraph(document, f"{finding}{note}", indent=False)
    if sheet.summary:
        paragraph(document, gettext("检查意见"), indent=False, bold=True)
        paragraph(document, sheet.summary)
    return save_document(document)


@in_working_language
def sheet_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    """Per sheet: its 检查记录 .docx (rendered when read), named in the working language."""
    ids = int_ids(object_ids)
    sheets = Inspection.objects.filter(pk__in=ids).select_related(
        "checklist__template", "target_unit", "target_jurisdiction"
    )
    results: dict[int, list[InspectionResult]] = {}
    for result in (
        InspectionResult.objects.filter(inspection_id__in=ids).select_related("item").order_by("item__sort", "id")
    ):
        results.setdefault(result.inspection_id, []).append(result)
    name = gettext("检查记录-{pk}.docx")
    return {
        str(sheet.pk): [
            EvidenceFile(
                name.format(pk=sheet.pk),
                render=partial(_sheet_docx, sheet, results.get(sheet.pk, [])),
            )
        ]
        for sheet in sheets
    }


def template_choices() -> list[tuple[str, str]]:
    return list(ChecklistTemplate.objects.filter(is_active=True).order_by("name").values_list("code", "name"))


def ranking_records(query: EvidenceQuery):
    qs = PublishedRanking.objects.filter(jurisdiction__path__within=query.jurisdiction_path)
    if query.start:
        qs = qs.filter(period_end__gte=query.start)
    if query.end:
        qs = qs.filter(period_end__lte=query.end)
    rows = (
        narrow(qs, query, search_fields=("title",))
        .order_by("-period_end", "-id")
        .values("id", "title", "period_end", "jurisdiction__path")
    )
    for row in window(rows, query, RECORD_LIMIT):
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=row["title"],
            occurred_on=row["period_end"],
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("inspections:published_detail", args=[row["id"]]),
        )


def ranking_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    from .documents import bulletin_docx

    ids = int_ids(object_ids)
    return {
        str(ranking.pk): [EvidenceFile(f"{ranking.title}.docx", render=lambda r=ranking: bulletin_docx(r))]
        for ranking in PublishedRanking.objects.filter(pk__in=ids).select_related("jurisdiction")
    }


SHEETS = EvidenceSource(
    key="inspections.sheet",
    label=_("已提交检查表"),
    records=sheet_records,
    files=sheet_files,
    categories=template_choices,
)
RANKINGS = EvidenceSource(
    key="inspections.ranking",
    label=_("评比通报"),
    records=ranking_records,
    files=ranking_files,
)


# The inspection list's status filter for the figure's population (a query string, not a change).
LISTED_STATUS = InspectionStatus.SUBMITTED.value


def _list_url(path: str, start: date | None, end: date | None) -> str:
    """The inspection list showing the figure's population: submitted sheets of the subtree
    (`jurisdiction`) inspected within the period (`start`/`end`; InspectionFilterSet)."""
    parts = [part for part in path.strip("/").split("/") if part]
    params = {"status": LISTED_STATUS, "jurisdiction": str(int(parts[-1])) if parts else ""}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    return f"{reverse('inspections:inspection_list')}?{urlencode({k: v for k, v in params.items() if v})}"


def average_percent(path: str, start: date | None, end: date | None) -> FigureValue:
    """Mean 百分制 score of the sheets submitted in the subtree and period (None without sheets)."""
    row = _sheets(EvidenceQuery(jurisdiction_path=path, start=start, end=end)).aggregate(
        avg=Avg("percent"), n=Count("id")
    )
    value = None
    if row["avg"] is not None:
        value = Decimal(str(row["avg"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return FigureValue(
        value,
        denominator=Decimal(row["n"]),
        url=_list_url(path, start, end),
        note=str(_("{n} 份已提交检查表")).format(n=row["n"]),
    )


AVERAGE_PERCENT = FigureSource(
    key="inspections.average_percent",
    permission="inspections.inspection",
    label=_("检查平均得分"),
    unit=_("分"),
    compute=average_percent,
    description=_("期间内已提交检查表百分制得分的平均值"),
)


def sheet_count(path: str, start: date | None, end: date | None) -> FigureValue:
    """Submitted sheets of the subtree inspected in the period."""
    count = _sheets(EvidenceQuery(jurisdiction_path=path, start=start, end=end)).count()
    return FigureValue(Decimal(count), url=_list_url(path, start, end))


def flag_counts(path: str, start: date | None, end: date | None) -> dict[str, int]:
    """kind -> flags awarded (not revoked) to places of the subtree by rankings ending in the
    period: three queries (the period's flags are few: a handful per published ranking)."""
    awards = FlagAward.objects.filter(revoked_at__isnull=True)
    if start:
        awards = awards.filter(ranking__period_end__gte=start)
    if end:
        awards = awards.filter(ranking__period_end__lte=end)
    rows = list(awards.values_list("kind", "target_key", "ranking__level_key"))
    wanted = {
        prefix: {int(key) for _kind, key, level in rows if level.startswith(prefix) and key.isdigit()}
        for prefix in (LEVEL_PREFIX, UNIT_PREFIX)
    }
    inside = {
        LEVEL_PREFIX: set(
            Jurisdiction.objects.filter(path__within=path, pk__in=wanted[LEVEL_PREFIX]).values_list("pk", flat=True)
        )
        if wanted[LEVEL_PREFIX]
        else set(),
        UNIT_PREFIX: set(
            Unit.objects.filter(jurisdiction__path__within=path, pk__in=wanted[UNIT_PREFIX]).values_list(
                "pk", flat=True
            )
        )
        if wanted[UNIT_PREFIX]
        else set(),
    }
    counts = dict.fromkeys(FlagKind.values, 0)
    for kind, key, level in rows:
        prefix = LEVEL_PREFIX if level.startswith(LEVEL_PREFIX) else UNIT_PREFIX
        if key.isdigit() and int(key) in inside[prefix] and kind in counts:
            counts[kind] += 1
    return counts


def _flag_value(count: int) -> FigureValue:
    return FigureValue(Decimal(count), url=reverse("inspections:flag_history"))


def red_flags(path, start, end) -> FigureValue:
    return _flag_value(flag_counts(path, start, end)[FlagKind.RED])


def yellow_flags(path, start, end) -> FigureValue:
    return _flag_value(flag_counts(path, start, end)[FlagKind.YELLOW])


def flag_values(path, start, end) -> dict[str, FigureValue]:
    counts = flag_counts(path, start, end)
    return {
        "inspections.red_flags": _flag_value(counts[FlagKind.RED]),
        "inspections.yellow_flags": _flag_value(counts[FlagKind.YELLOW]),
    }


SHEET_COUNT = FigureSource(
    key="inspections.sheets",
    permission="inspections.inspection",
    label=_("已提交检查表"),
    unit="份",
    compute=sheet_count,
    description=_("期间内检查日期在统计期内的已提交检查表份数"),
)
RED_FLAGS = FigureSource(
    key="inspections.red_flags",
    permission="inspections.inspection",
    label=_("获流动红旗"),
    unit="面",
    compute=red_flags,
    description=_("评比周期在统计期内结束的评比中授予辖区内对象（未撤销）的流动红旗数"),
    extra={"batch": flag_values},
)
YELLOW_FLAGS = FigureSource(
    key="inspections.yellow_flags",
    permission="inspections.inspection",
    label=_("被评黄旗"),
    unit="面",
    compute=yellow_flags,
    description=_("评比周期在统计期内结束的评比中授予辖区内对象（未撤销）的黄旗（末位）数"),
    extra={"batch": flag_values},
)
