"""What activities offer the evidence ledger (台账) and the totals page, through the registry.

- `activities.records` (爱国卫生活动记录): held activities in a subtree (owner or covered area,
  each once), dated by the activity's date, category = the activity kind; the binder gets
  their photos.
- Figures (the roll-up rule of totals.py, read from the activities' record rollup, rollups.py):
  `activities.drives` (次), `activities.person_times`
  (人次), `activities.output.<code>` for each built-in measure, `activities.volunteer_hours`.
  Each links to the activity list filtered to exactly the records it counts.

Nothing here is scoped to a user: the ledger stores what a rule found; each record's page
stays scoped like any activity page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
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
from apps.core.rollups import rollup_node_sums
from apps.core.units import unit_lazy

from . import rollups, totals
from .choices import ActivityKind, ActivityStatus
from .measures import BUILTIN
from .models import ActivityPhoto, Participation

RECORD_LIMIT = 20000
GROUP = _("爱国卫生活动")
PERMISSION = "activities.activity"


def _records_qs(query: EvidenceQuery):
    qs = totals.held_in(query.jurisdiction_path, query.start, query.end)
    if query.category:
        qs = qs.filter(kind=query.category)
    return narrow(qs, query, search_fields=("title", "place"))


def activity_records(query: EvidenceQuery):
    """Two queries: a page of the held activities, newest first, and their 人次."""
    rows = list(
        window(
            _records_qs(query)
            .order_by("-held_on", "-id")
            .values("id", "title", "kind", "held_on", "place", "jurisdiction__path"),
            query,
            RECORD_LIMIT,
        )
    )
    people = dict(
        Participation.objects.filter(activity_id__in=[r["id"] for r in rows])
        .values_list("activity_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    kinds = dict(ActivityKind.choices)
    for row in rows:
        summary = gettext("{kind}，{n} 人次").format(
            kind=kinds.get(row["kind"], row["kind"]), n=people.get(row["id"], 0)
        )
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{row['title']} {row['place']}".strip(),
            occurred_on=row["held_on"],
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("activities:activity_detail", args=[row["id"]]),
            summary=summary,
        )


@in_working_language
def activity_files(object_ids: list[str]) -> dict[str, list[EvidenceFile]]:
    """Per activity: its photos, named by date and number."""
    result: dict[str, list[EvidenceFile]] = {}
    photos = ActivityPhoto.objects.filter(activity_id__in=int_ids(object_ids)).select_related("activity")
    counters: dict[int, int] = {}
    name = gettext("活动照片")
    for photo in photos.order_by("activity_id", "created_at", "id"):
        counters[photo.activity_id] = counters.get(photo.activity_id, 0) + 1
        stem = f"{photo.activity.held_on:%Y%m%d}-{photo.activity_id}-{name}-{counters[photo.activity_id]}.jpg"
        result.setdefault(str(photo.activity_id), []).append(
            EvidenceFile(stem, open=lambda photo=photo: photo.image.open("rb"))
        )
    return result


RECORDS = EvidenceSource(
    key="activities.records",
    label=_("爱国卫生活动记录"),
    records=activity_records,
    files=activity_files,
    categories=lambda: list(ActivityKind.choices),
)


# Figures -----------------------------------------------------------------------------------


def list_url(path: str, start: date | None, end: date | None, **extra) -> str:
    """The activity list of exactly the records a figure of the node at `path` counts (the
    totals page of this app links with the same helper)."""
    params = {"jurisdiction": node_id(path), "status": ActivityStatus.HELD}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    params.update(extra)
    return f"{reverse('activities:activity_list')}?{urlencode({k: v for k, v in params.items() if v})}"


def figure_values(path, start, end) -> dict[str, FigureValue]:
    """Every figure of this app for one subtree, from the activities' rollup (rollups.py: one
    grouped read of the node's daily totals): the totals page asks for them together
    (FigureSource.extra["batch"])."""
    found = rollup_node_sums(rollups.KEY, path, start, end)
    zero = Decimal(0)
    url = list_url(path, start, end)
    values = {
        "activities.drives": FigureValue(found.get("drives", zero), url=list_url(path, start, end, drives="1")),
        "activities.person_times": FigureValue(found.get("people", zero), url=url),
        "activities.volunteer_hours": FigureValue(found.get("hours", zero), url=url),
    }
    for code, *_rest in BUILTIN:
        values[f"activities.output.{code}"] = FigureValue(
            found.get(f"output:{code}", zero), url=list_url(path, start, end, measure=code)
        )
    return values


def _one(key: str):
    return lambda path, start, end: figure_values(path, start, end)[key]


BATCH = {"batch": figure_values}
RULE = _("（已开展的活动，组织辖区或覆盖区域在本辖区内，每条记录只计一次）")

FIGURES = [
    FigureSource(
        key="activities.drives",
        label=_("开展活动次数（不含设施配备）"),
        unit=unit_lazy(gettext_noop("次")),
        compute=_one("activities.drives"),
        description=format_lazy(
            "{}{}", _("已开展的清洁、义务劳动、整治、爱国卫生月和宣传活动条数，不含设施配备记录"), RULE
        ),
        group=GROUP,
        permission=PERMISSION,
        extra=BATCH,
        order=10,
    ),
    FigureSource(
        key="activities.person_times",
        label=_("参与人次"),
        unit=unit_lazy(gettext_noop("人次")),
        compute=_one("activities.person_times"),
        description=format_lazy("{}{}", _("各活动各类参与人员人次之和"), RULE),
        group=GROUP,
        permission=PERMISSION,
        extra=BATCH,
        order=20,
    ),
    *[
        FigureSource(
            key=f"activities.output.{code}",
            label=_(name),
            unit=unit_lazy(unit),
            compute=_one(f"activities.output.{code}"),
            description=format_lazy("{}{}", _("各活动该计量项数量之和"), RULE),
            group=GROUP,
            permission=PERMISSION,
            extra=BATCH,
            order=100 + number,
        )
        for number, (code, name, unit, _category) in enumerate(BUILTIN)
    ],
    FigureSource(
        key="activities.volunteer_hours",
        label=_("志愿服务时长"),
        unit=unit_lazy(gettext_noop("小时")),
        compute=_one("activities.volunteer_hours"),
        description=format_lazy("{}{}", _("到场志愿者登记的服务时长之和"), RULE),
        group=GROUP,
        permission=PERMISSION,
        extra=BATCH,
        order=30,
    ),
]
