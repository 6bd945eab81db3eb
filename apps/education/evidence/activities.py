"""What plans and activities offer the evidence ledger (台账) and the figures (self-assessment,
totals page), through the registry.

- `education.plans` (健康教育计划): the plans in a subtree, dated 1 January of their year.
- `education.activities` (健康教育活动记录): held activities in a subtree, category = kind; the
  binder gets their photos.
- Figures of a subtree and period: `education.course_rate` (开课率 %, course_rate.py over the
  months of the period, None without a plan), `education.activities_held` (场次),
  `education.attendance` (人次), `education.materials` (copies handed out).

Nothing here is scoped to a user: the ledger stores what a rule found; each record's page stays
scoped like any page of the app.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
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
from apps.core.units import unit_lazy

from .. import course_rate
from ..choices import EduKind, EduStatus
from ..models import BoardUpdate, EducationActivity, EducationActivityPhoto, EducationPlan, MaterialLine, PlanTarget

RECORD_LIMIT = 20000
GROUP = _("健康教育")
PERMISSION = "education.educationactivity"


def held_in(path: str, start: date | None, end: date | None):
    qs = EducationActivity.objects.filter(jurisdiction__path__startswith=path, status=EduStatus.HELD)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


def list_url(path: str, start: date | None = None, end: date | None = None) -> str:
    params = {"jurisdiction": node_id(path), "status": EduStatus.HELD}
    if start and end and start.year == end.year:
        params["year"] = start.year
    return f"{reverse('education:activity_list')}?{urlencode(params)}"


# Evidence ------------------------------------------------------------------------------------


def activity_records(query: EvidenceQuery):
    qs = held_in(query.jurisdiction_path, query.start, query.end)
    if query.category:
        qs = qs.filter(kind=query.category)
    qs = narrow(qs, query, search_fields=("topic", "place"))
    rows = window(
        qs.order_by("-held_on", "-id").values(
            "id", "topic", "kind", "held_on", "place", "attendance", "jurisdiction__path"
        ),
        query,
        RECORD_LIMIT,
    )
    kinds = dict(EduKind.choices)
    for row in rows:
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['topic']} {row['place']}".strip(),
            occurred_on=row["held_on"],
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("education:activity_detail", args=[row["id"]]),
            summary=gettext("{kind}，{n} 人次").format(kind=kinds.get(row["kind"], row["kind"]), n=row["attendance"]),
        )


@in_working_language
def activity_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    result: dict[str, list[EvidenceFile]] = {}
    photos = EducationActivityPhoto.objects.filter(activity_id__in=int_ids(object_ids)).select_related("activity")
    counters: dict[int, int] = {}
    name = gettext("活动照片")
    for photo in photos.order_by("activity_id", "created_at", "id"):
        counters[photo.activity_id] = counters.get(photo.activity_id, 0) + 1
        stem = f"{photo.activity.held_on:%Y%m%d}-{photo.activity_id}-{name}-{counters[photo.activity_id]}.jpg"
        result.setdefault(str(photo.activity_id), []).append(
            EvidenceFile(stem, open=lambda photo=photo: photo.image.open("rb"))
        )
    return result


def plan_records(query: EvidenceQuery):
    qs = EducationPlan.objects.filter(jurisdiction__path__startswith=query.jurisdiction_path)
    if query.start:
        qs = qs.filter(year__gte=query.start.year)
    if query.end:
        qs = qs.filter(year__lte=query.end.year)
    qs = narrow(qs, query, search_fields=("title",))
    rows = window(qs.order_by("-year", "-id").values("id", "title", "year", "jurisdiction__path"), query, RECORD_LIMIT)
    for row in rows:
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=row["title"],
            occurred_on=date(row["year"], 1, 1),
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("education:plan_detail", args=[row["id"]]),
        )


EVIDENCE = [
    EvidenceSource(key="education.plans", label=_("健康教育计划"), records=plan_records),
    EvidenceSource(
        key="education.activities",
        label=_("健康教育活动记录"),
        records=activity_records,
        files=activity_files,
        categories=lambda: [(k.value, k.label) for k in EduKind if k != EduKind.BOARD],
    ),
]


# Figures -------------------------------------------------------------------------------------


def _months(start: date | None, end: date | None) -> list[int]:
    """The period's months as year × 100 + month (a year's when start or end is missing)."""
    today = timezone.localdate()
    start = start or date((end or today).year, 1, 1)
    end = end or date(start.year, 12, 31)
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(y * 100 + m)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def rate_counts(path: str, start: date | None, end: date | None):
    """({plan path: {(kind, ym): planned}}, {(path, kind, ym): held}, months) with ym = year × 100
    + month, for course_rate.subtree_rate (each activity counts for the deepest plan covering it)."""
    months = _months(start, end)
    years = {ym // 100 for ym in months}
    plans = EducationPlan.objects.filter(jurisdiction__path__startswith=path, year__in=years)
    planned: dict[str, dict] = {}  # a plan without targets plans nothing: left out
    for r in PlanTarget.objects.filter(plan__in=plans.values("pk")).values(
        "plan__jurisdiction__path", "plan__year", "kind", "month", "planned"
    ):
        key = (r["kind"], r["plan__year"] * 100 + r["month"])
        planned.setdefault(r["plan__jurisdiction__path"], {})[key] = r["planned"]
    held = {
        (r["jurisdiction__path"], r["kind"], r["y"] * 100 + r["m"]): r["n"]
        for r in EducationActivity.objects.filter(
            jurisdiction__path__startswith=path, status=EduStatus.HELD, held_on__year__in=years
        )
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values("jurisdiction__path", "kind", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    }
    for r in (
        BoardUpdate.objects.filter(board__jurisdiction__path__startswith=path, updated_on__year__in=years)
        .annotate(y=ExtractYear("updated_on"), m=ExtractMonth("updated_on"))
        .values("board__jurisdiction__path", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    ):
        held[(r["board__jurisdiction__path"], EduKind.BOARD.value, r["y"] * 100 + r["m"])] = r["n"]
    return planned, held, months


def _course_rate(path, start, end) -> FigureValue:
    planned, held, months = rate_counts(path, start, end)
    rate = course_rate.subtree_rate(planned, held, months)
    if rate is None:
        return FigureValue(None, note=gettext("未制定计划"))
    return FigureValue(
        rate.percent,
        numerator=Decimal(rate.counted),
        denominator=Decimal(rate.planned),
        url=list_url(path, start, end),
        note=gettext("超额 {n} 场").format(n=rate.surplus) if rate.surplus else "",
    )


def _held(path, start, end) -> FigureValue:
    return FigureValue(Decimal(held_in(path, start, end).count()), url=list_url(path, start, end))


def _attendance(path, start, end) -> FigureValue:
    total = held_in(path, start, end).aggregate(n=Sum("attendance"))["n"] or 0
    return FigureValue(Decimal(total), url=list_url(path, start, end))


def _materials(path, start, end) -> FigureValue:
    lines = MaterialLine.objects.filter(activity__in=held_in(path, start, end).values("pk"))
    total = lines.aggregate(n=Sum("quantity"))["n"] or 0
    return FigureValue(Decimal(total), url=list_url(path, start, end))


RULE = _("（已开展的活动，辖区在本辖区及下级内）")

FIGURES = [
    FigureSource(
        key="education.course_rate",
        label=_("开课率"),
        unit="%",
        compute=_course_rate,
        description=_("按类型计的已开展场次（不超过计划场次）÷ 计划场次；无计划则不计算"),
        group=GROUP,
        permission=PERMISSION,
        order=10,
    ),
    FigureSource(
        key="education.activities_held",
        label=_("已开展健康教育活动"),
        unit=unit_lazy(gettext_noop("次")),
        compute=_held,
        description=format_lazy("{}{}", _("已开展的健康教育活动场次"), RULE),
        group=GROUP,
        permission=PERMISSION,
        order=20,
    ),
    FigureSource(
        key="education.attendance",
        label=_("健康教育参加人次"),
        unit=unit_lazy(gettext_noop("人次")),
        compute=_attendance,
        description=format_lazy("{}{}", _("各活动参加人次之和"), RULE),
        group=GROUP,
        permission=PERMISSION,
        order=30,
    ),
    FigureSource(
        key="education.materials",
        label=_("发放健康教育资料"),
        unit=unit_lazy(gettext_noop("份")),
        compute=_materials,
        description=format_lazy("{}{}", _("各活动发放资料数量之和（册、份、张合计）"), RULE),
        group=GROUP,
        permission=PERMISSION,
        order=40,
    ),
]
