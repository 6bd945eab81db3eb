"""Totals that roll up the jurisdiction tree without double counting.

For a node N and a period [start, end], an activity counts ONCE when it was held (status 已开展,
date in the period) and its owner jurisdiction, or any area it covered, lies in N's subtree.
The ids are chosen first (a subquery that may match one activity through several areas) and
everything is aggregated over `pk__in` that subquery, never over a join that multiplies rows.
So a street drive covering 东苑 and 西城 counts once for each community and once for the
street: the communities' figures may add up to more than the street's.

- 活动次数 (drives): held activities except 设施配备 records (equipment is not a drive);
- 人次: the sum of every participation row (by kind too);
- each output measure: the sum of its lines' quantities, in its unit;
- 志愿服务时长: the hours of the sign-ups marked present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from .choices import NOT_DRIVES, ActivityStatus, ParticipantKind
from .models import Activity, Output, OutputMeasure, Participation, SignUp


def in_area_q(path: str) -> Q:
    """Owner or a covered area in the subtree at `path` (a subquery: no duplicate rows)."""
    covered = Activity.areas.through.objects.filter(jurisdiction__path__within=path).values("activity_id")
    return Q(jurisdiction__path__within=path) | Q(pk__in=covered)


def held_in(path: str, start: date | None, end: date | None, base: QuerySet | None = None) -> QuerySet:
    """The held activities counted for the node at `path` and the period (unscoped)."""
    qs = (base if base is not None else Activity.objects.all()).filter(in_area_q(path), status=ActivityStatus.HELD)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


@dataclass
class Totals:
    activities: int = 0
    drives: int = 0
    by_activity_kind: dict[str, int] = field(default_factory=dict)
    person_times: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Decimal] = field(default_factory=dict)  # measure code -> quantity
    volunteer_hours: Decimal = Decimal(0)

    def by_kind_rows(self) -> list[tuple[str, str, int]]:
        return [(k, str(label), self.by_kind.get(k, 0)) for k, label in ParticipantKind.choices]


def ids_of(qs: QuerySet) -> QuerySet:
    """The distinct ids of an activity queryset, as a subquery."""
    return qs.order_by().values("pk").distinct()


def totals_for(qs: QuerySet) -> Totals:
    """The totals of the activities of `qs` (any queryset of Activity, e.g. a filtered list),
    each counted once: four aggregate queries."""
    ids = ids_of(qs)
    result = Totals()
    kinds = dict(Activity.objects.filter(pk__in=ids).values_list("kind").annotate(n=Count("pk")).order_by())
    result.by_activity_kind = kinds
    result.activities = sum(kinds.values())
    result.drives = sum(n for kind, n in kinds.items() if kind not in NOT_DRIVES)
    people = Participation.objects.filter(activity_id__in=ids).values_list("kind").annotate(n=Sum("count")).order_by()
    result.by_kind = {kind: n or 0 for kind, n in people}
    result.person_times = sum(result.by_kind.values())
    outputs = (
        Output.objects.filter(activity_id__in=ids).values_list("measure__code").annotate(q=Sum("quantity")).order_by()
    )
    result.outputs = {code: q or Decimal(0) for code, q in outputs}
    hours = SignUp.objects.filter(activity_id__in=ids, attended=True, withdrawn_at__isnull=True).aggregate(
        h=Sum("hours")
    )
    result.volunteer_hours = hours["h"] or Decimal(0)
    return result


def drives(path: str, start, end) -> int:
    return held_in(path, start, end).exclude(kind__in=NOT_DRIVES).count()


def person_times(path: str, start, end) -> int:
    ids = ids_of(held_in(path, start, end))
    return Participation.objects.filter(activity_id__in=ids).aggregate(n=Sum("count"))["n"] or 0


def output_total(path: str, start, end, code: str) -> Decimal:
    ids = ids_of(held_in(path, start, end))
    total = Output.objects.filter(activity_id__in=ids, measure__code=code).aggregate(q=Sum("quantity"))["q"]
    return total or Decimal(0)


def volunteer_hours(path: str, start, end) -> Decimal:
    ids = ids_of(held_in(path, start, end))
    rows = SignUp.objects.filter(activity_id__in=ids, attended=True, withdrawn_at__isnull=True)
    return rows.aggregate(h=Sum("hours"))["h"] or Decimal(0)


def measures_shown(totals: list[Totals]) -> list[OutputMeasure]:
    """The measures with a value in any of the rows, in the measures' order (the table's columns)."""
    codes = {code for t in totals for code, q in t.outputs.items() if q}
    return list(OutputMeasure.objects.filter(code__in=codes).order_by("sort", "id"))
