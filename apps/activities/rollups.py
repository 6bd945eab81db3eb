"""The activities' record rollup (apps/core/rollups.py): what each held activity adds to the
totals of every area it counts in, so the figures (数据汇总, self-assessment, work summaries) of
any subtree and period read a row per day instead of the activities.

Measures of one held activity, on its `held_on`, in its owner jurisdiction and every covered
area (the counting rule of totals.py: once per node):
- `activities` 1, and `drives` 1 unless it is a 设施配备 record;
- `people` the sum of its participation rows;
- `output:<measure code>` the quantity of its lines of that measure;
- `hours` the hours of its sign-ups marked present (not withdrawn).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from apps.core.rollups import Contribution, RecordRollup

from .choices import NOT_DRIVES, ActivityStatus
from .models import Activity, Output, Participation, SignUp

KEY = "activities"


def contributions(record_ids: list[int] | None):
    held = Activity.objects.filter(status=ActivityStatus.HELD)
    if record_ids is not None:
        held = held.filter(pk__in=record_ids)
    rows = list(held.values_list("pk", "kind", "held_on", "jurisdiction__path"))
    if not rows:
        return
    ids = [row[0] for row in rows]
    areas: dict[int, list[str]] = defaultdict(list)
    for activity, path in Activity.areas.through.objects.filter(activity_id__in=ids).values_list(
        "activity_id", "jurisdiction__path"
    ):
        areas[activity].append(path)
    people = dict(
        Participation.objects.filter(activity_id__in=ids).values_list("activity_id").annotate(n=Sum("count")).order_by()
    )
    outputs: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for activity, code, quantity in (
        Output.objects.filter(activity_id__in=ids)
        .values_list("activity_id", "measure__code")
        .annotate(q=Sum("quantity"))
        .order_by()
    ):
        outputs[activity][f"output:{code}"] = quantity
    hours = dict(
        SignUp.objects.filter(activity_id__in=ids, attended=True, withdrawn_at__isnull=True)
        .values_list("activity_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    for pk, kind, held_on, path in rows:
        measures = {
            "activities": 1,
            "drives": 0 if kind in NOT_DRIVES else 1,
            "people": people.get(pk) or 0,
            "hours": hours.get(pk) or 0,
            **outputs.get(pk, {}),
        }
        yield Contribution(pk, held_on, (path, *areas.get(pk, ())), measures)


ROLLUP = RecordRollup(
    key=KEY,
    record_model="activities.Activity",
    contributions=contributions,
    watch={
        "activities.Activity_areas": lambda row: [row.activity_id],
        "activities.Participation": lambda row: [row.activity_id],
        "activities.Output": lambda row: [row.activity_id],
        "activities.SignUp": lambda row: [row.activity_id],
    },
)
