"""What cases offer the evidence ledger (台账) and the self-assessment, through the registry.

- `cases.closed` (已结案案件): closed cases inside a jurisdiction subtree, dated by their closing
  day; a rule narrows them by category code (a 大类 code takes its 小类 too). The binder gets a
  generated 整改记录 (.docx, before/after photos embedded) and the original photos per case.
- `cases.on_time_rate` (按期结案率) and `cases.closure_rate` (结案率): the figures of
  apps/cases/statistics.py (same population, same counts, same rounding) for a subtree and period.
- For the work summaries, from the same totals row (cases reported in the period, 案件以上报时间归属
  统计期; whole months from the rollups): `cases.received` (上报数), `cases.closed` (of those, closed
  by now), `cases.rework_rate` (返工率 = reworked / dispatched: 核查不通过 at least once,
  `rework_count` > 0) and `cases.recurrence` (重复发生数: reported cases flagged `is_recurrence`
  when reported, 前清后涂 = the same category within CASE_DUPLICATE_RADIUS_M (50 m), or in the same
  jurisdiction without a location, of a case closed within CASE_RECURRENCE_DAYS (30 days) before).
- `cases.overdue` (超期未结案件): cases of the subtree, whatever their report day, still open (any
  open status, 挂账 included) whose deadline passed before the end of the period, or before now
  while the period runs. Its link is the case list with exactly those filters (status=open, due,
  due_by).

Nothing here is scoped to a user: the ledger stores what a rule found, and each record's page
stays scoped like any case page.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

from django.db.models import Q
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
    node_id,
    window,
)
from apps.worktime.periods import local_midnight

from .choices import OPEN_STATUSES, CaseStatus, PhotoStage
from .models import Case, CasePhoto, Category
from .statistics import TOTAL_KEY, StatRow, case_filter_for, due_before, subtree_totals

RECORD_LIMIT = 20000


def _closed_cases(query: EvidenceQuery):
    qs = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__isnull=False)
    qs = qs.filter(jurisdiction__path__within=query.jurisdiction_path)
    if query.start:
        qs = qs.filter(closed_at__gte=local_midnight(query.start))
    if query.end:
        qs = qs.filter(closed_at__lt=local_midnight(query.end + timedelta(days=1)))
    if query.category:
        qs = qs.filter(Q(category__code=query.category) | Q(category__parent__code=query.category))
    return qs


def closed_records(query: EvidenceQuery):
    """One query: a page of the closed cases of the query, newest first (search: code, address, category)."""
    rows = (
        narrow(_closed_cases(query), query, search_fields=("code", "address", "category__name"))
        .order_by("-closed_at", "-id")
        .values("id", "code", "address", "closed_at", "category__name", "jurisdiction__name", "jurisdiction__path")
    )
    rows = window(rows, query, RECORD_LIMIT)
    for row in rows:
        place = row["address"] or row["jurisdiction__name"]
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['code']} {row['category__name']} {place}".strip(),
            occurred_on=timezone.localdate(row["closed_at"]),
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("cases:case_detail", args=[row["id"]]),
            summary=str(_("已结案")),
        )


@in_working_language
def _record_docx(case: Case, photos: list[CasePhoto]) -> bytes:
    """整改记录 of a case for the binder, in the working language (apps.core.evidence.in_working_language)."""
    from apps.documents.docx import chinese_datetime, new_document, paragraph, photo_table, save_document, title

    document = new_document()
    title(document, gettext("整改记录"))
    category = case.category
    major = f"{category.parent.name}/" if category.parent_id else ""
    place = (
        gettext("{address}（{area}）").format(address=case.address, area=case.jurisdiction.name)
        if case.address
        else case.jurisdiction.name
    )
    lines = [
        gettext("案件编号：{value}").format(value=case.code),
        gettext("问题类别：{value}").format(value=f"{major}{category.name}"),
        gettext("问题地点：{value}").format(value=place),
        gettext("上报时间：{value}").format(value=chinese_datetime(case.created_at)),
        gettext("派遣时间：{value}").format(
            value=chinese_datetime(case.dispatched_at) if case.dispatched_at else gettext("（未派遣）")
        ),
        gettext("结案时间：{value}").format(
            value=chinese_datetime(case.closed_at) if case.closed_at else gettext("（未结案）")
        ),
        gettext("责任单位：{value}").format(
            value=case.assignee_unit.name if case.assignee_unit_id else gettext("（无）")
        ),
        gettext("按期结案：{value}").format(value=gettext("是") if case.closed_on_time else gettext("否")),
    ]
    for line in lines:
        paragraph(document, line, indent=False)
    paragraph(document, gettext("整改前照片"), indent=False, bold=True)
    photo_table(document, [p for p in photos if p.stage == PhotoStage.BEFORE], gettext("（无整改前照片）"))
    paragraph(document, gettext("整改后照片"), indent=False, bold=True)
    photo_table(document, [p for p in photos if p.stage == PhotoStage.AFTER], gettext("（无整改后照片）"))
    return save_document(document)


@in_working_language
def closed_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    """Per case: 整改记录 .docx (rendered when read) and the original before/after photos; the
    names in the working language, like the documents."""
    ids = int_ids(object_ids)
    cases = Case.objects.filter(pk__in=ids).select_related(
        "category", "category__parent", "jurisdiction", "assignee_unit"
    )
    photos: dict[int, list[CasePhoto]] = {}
    for photo in CasePhoto.objects.filter(case_id__in=ids, stage__in=[PhotoStage.BEFORE, PhotoStage.AFTER]).order_by(
        "created_at", "id"
    ):
        photos.setdefault(photo.case_id, []).append(photo)
    result: dict[str, list[EvidenceFile]] = {}
    record_name, before, after = gettext("整改记录"), gettext("整改前"), gettext("整改后")
    for case in cases:
        case_photos = photos.get(case.pk, [])
        files = [EvidenceFile(f"{case.code}-{record_name}.docx", render=partial(_record_docx, case, case_photos))]
        for number, photo in enumerate(case_photos, start=1):
            stage = before if photo.stage == PhotoStage.BEFORE else after
            files.append(
                EvidenceFile(f"{case.code}-{stage}-{number}.jpg", open=lambda photo=photo: photo.image.open("rb"))
            )
        result[str(case.pk)] = files
    return result


def category_choices() -> list[tuple[str, str]]:
    return [
        (row["code"], f"{row['parent__name']}/{row['name']}" if row["parent__name"] else row["name"])
        for row in Category.objects.filter(is_active=True)
        .order_by("parent_id", "id")
        .values("code", "name", "parent__name")
    ]


CLOSED_CASES = EvidenceSource(
    key="cases.closed",
    label=_("已结案案件"),
    records=closed_records,
    files=closed_files,
    categories=category_choices,
)


# Figures -----------------------------------------------------------------------------------


def _statistics_row(path: str, start: date | None, end: date | None) -> StatRow:
    """The totals row of apps/cases/statistics.case_statistics for a subtree, unscoped (rollups)."""
    return subtree_totals(path, start, end)


def _statistics_url(path: str, start: date | None, end: date | None) -> str:
    params = {"group_by": "jurisdiction", "jurisdiction": node_id(path)}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    return f"{reverse('cases:statistics')}?{urlencode({k: v for k, v in params.items() if v})}"


def _on_time_rate(row: StatRow, path, start, end) -> FigureValue:
    return FigureValue(
        row.on_time_closure_rate,
        Decimal(row.closed_on_time),
        Decimal(row.due),
        url=_statistics_url(path, start, end),
    )


def _closure_rate(row: StatRow, path, start, end) -> FigureValue:
    return FigureValue(row.closure_rate, Decimal(row.closed), Decimal(row.due), url=_statistics_url(path, start, end))


def on_time_rate(path: str, start: date | None, end: date | None) -> FigureValue:
    return _on_time_rate(_statistics_row(path, start, end), path, start, end)


def closure_rate(path: str, start: date | None, end: date | None) -> FigureValue:
    return _closure_rate(_statistics_row(path, start, end), path, start, end)


# Figures of the work summaries -------------------------------------------------------------


def _list_url(path: str, start: date | None, end: date | None, metric: str) -> str:
    """The case list behind a statistics count (the filters of statistics.case_filter_for)."""
    filters = case_filter_for(TOTAL_KEY, "jurisdiction", metric, start=start, end=end, jurisdiction=node_id(path))
    return f"{reverse('cases:case_list')}?{urlencode(filters)}"


def _count(value: int, path, start, end, metric: str) -> FigureValue:
    return FigureValue(Decimal(value), url=_list_url(path, start, end, metric))


def _received(row: StatRow, path, start, end) -> FigureValue:
    return _count(row.reported, path, start, end, "reported")


def _closed(row: StatRow, path, start, end) -> FigureValue:
    return _count(row.closed, path, start, end, "closed")


def _rework_rate(row: StatRow, path, start, end) -> FigureValue:
    return FigureValue(
        row.rework_rate,
        Decimal(row.returned_for_rework),
        Decimal(row.dispatched),
        url=_list_url(path, start, end, "rework_rate"),
    )


def _recurrence(row: StatRow, path, start, end) -> FigureValue:
    return _count(row.recurrences, path, start, end, "recurrences")


def overdue_cut(end: date | None, now=None):
    """The moment before which an open case's deadline makes it overdue: the end of the period
    (its last day included), or now while the period runs."""
    now = now or timezone.now()
    return due_before(end, now) if end else now


def overdue_count(path: str, end: date | None, now=None) -> int:
    """Open cases of the subtree (whatever their report day) whose deadline passed before the cut."""
    return Case.objects.filter(
        jurisdiction__path__within=path, status__in=OPEN_STATUSES, deadline_at__lt=overdue_cut(end, now)
    ).count()


def _overdue_url(path: str, end: date | None) -> str:
    params = {"jurisdiction": node_id(path), "status": "open", "due": "1"}
    if end:
        params["due_by"] = end.isoformat()
    return f"{reverse('cases:case_list')}?{urlencode({k: v for k, v in params.items() if v})}"


def received(path, start, end) -> FigureValue:
    return _received(_statistics_row(path, start, end), path, start, end)


def closed(path, start, end) -> FigureValue:
    return _closed(_statistics_row(path, start, end), path, start, end)


def rework_rate(path, start, end) -> FigureValue:
    return _rework_rate(_statistics_row(path, start, end), path, start, end)


def recurrence(path, start, end) -> FigureValue:
    return _recurrence(_statistics_row(path, start, end), path, start, end)


def overdue(path, start, end) -> FigureValue:
    return FigureValue(Decimal(overdue_count(path, end)), url=_overdue_url(path, end))


def figure_values(path, start, end) -> dict[str, FigureValue]:
    """Every case figure of one subtree and period from one totals row and one count (the
    totals page and the generator ask for them together: FigureSource.extra["batch"])."""
    row = _statistics_row(path, start, end)
    return {
        "cases.on_time_rate": _on_time_rate(row, path, start, end),
        "cases.closure_rate": _closure_rate(row, path, start, end),
        "cases.received": _received(row, path, start, end),
        "cases.closed": _closed(row, path, start, end),
        "cases.rework_rate": _rework_rate(row, path, start, end),
        "cases.recurrence": _recurrence(row, path, start, end),
        "cases.overdue": overdue(path, start, end),
    }


BATCH = {"batch": figure_values}


def _summary_figure(key, label, unit, compute, description, order) -> FigureSource:
    return FigureSource(
        key=key,
        permission="cases.case",
        label=label,
        unit=unit,
        compute=compute,
        description=description,
        extra=BATCH,
        order=order,
    )


SUMMARY_FIGURES = [
    _summary_figure(
        "cases.received", _("上报案件数"), "件", received, _("统计期内上报的案件数（不论后来是否立案）"), 10
    ),
    _summary_figure("cases.closed", _("已结案件"), "件", closed, _("统计期内上报的案件中至今已结案的件数"), 20),
    _summary_figure(
        "cases.overdue",
        _("超期未结案件"),
        "件",
        overdue,
        _("辖区内至统计期末（期间未结束时至今）已过处置时限仍未办结的案件数，不论上报日期"),
        30,
    ),
    _summary_figure(
        "cases.rework_rate",
        _("返工率"),
        "%",
        rework_rate,
        _("返工案件数 / 派遣案件数 × 100（核查不通过至少一次即为返工，案件以上报时间归属统计期）"),
        40,
    ),
    _summary_figure(
        "cases.recurrence",
        _("重复发生案件"),
        "件",
        recurrence,
        _("统计期内上报、在同类问题结案后30天内于50米内（无位置时同一辖区）再次发生的案件数"),
        50,
    ),
]

ON_TIME_RATE = FigureSource(
    key="cases.on_time_rate",
    permission="cases.case",
    label=_("按期结案率"),
    unit="%",
    compute=on_time_rate,
    description=_("按期结案数 / 应结案数 × 100（案件以上报时间归属统计期）"),
    extra=BATCH,
)
CLOSURE_RATE = FigureSource(
    key="cases.closure_rate",
    permission="cases.case",
    label=_("结案率"),
    unit="%",
    compute=closure_rate,
    description=_("结案数 / 应结案数 × 100（案件以上报时间归属统计期）"),
    extra=BATCH,
)
