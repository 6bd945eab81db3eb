"""The pest-control record rollups (apps/core/rollups.py): what each record adds on its day to
its jurisdiction and every ancestor, so the figures of any subtree and period read a row per day.

Operations (`pestcontrol.operations`), instead of the operations, their drug lines and checks:
Measures of one operation: `operations` 1, `households` and `area_m2` (its own fields), `grams`,
`millilitres` (Σ packages × size of its drug lines by package unit), `rat_grams` (lines in
grams whose product is for rats), and the follow-up sums `checked`, `bought`, `retained`.
A product's change of pests recomputes the operations that used it.

Vector surveys (`pestcontrol.surveys`), for the pooled indices (Σ numerator ÷ Σ denominator per
method): each survey adds its method's inputs, measure `<method>:<input>` (e.g. `ovitrap:positive`).
The control-level grades are not sums (an area's grade is its worst place's) and stay read from
the period's surveys.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from apps.core.rollups import Contribution, RecordRollup

from ..choices import PackageUnit, Pest
from ..methods import BY_CODE
from ..models import FollowUpCheck, Operation, OperationDrug, Survey

KEY = "pestcontrol.operations"
SURVEYS_KEY = "pestcontrol.surveys"


def contributions(record_ids: list[int] | None):
    operations = Operation.objects.all()
    if record_ids is not None:
        operations = operations.filter(pk__in=record_ids)
    rows = list(operations.values_list("pk", "performed_on", "jurisdiction__path", "households_covered", "area_m2"))
    if not rows:
        return
    ids = [row[0] for row in rows]
    drugs: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lines = OperationDrug.objects.filter(operation_id__in=ids).values_list(
        "operation_id", "packages", "package_size", "package_unit", "product__pests"
    )
    for operation, packages, size, unit, pests in lines:
        amount = Decimal(packages) * size
        if unit == PackageUnit.GRAM:
            drugs[operation]["grams"] += amount
            if Pest.RAT.value in (pests or []):
                drugs[operation]["rat_grams"] += amount
        elif unit == PackageUnit.MILLILITRE:
            drugs[operation]["millilitres"] += amount
    checks = {
        operation: {"checked": checked, "bought": bought, "retained": retained}
        for operation, checked, bought, retained in FollowUpCheck.objects.filter(operation_id__in=ids)
        .values_list("operation_id")
        .annotate(Sum("households_checked"), Sum("households_bought"), Sum("households_retained"))
        .order_by()
    }
    for pk, day, path, households, area in rows:
        measures = {"operations": 1, "households": households, "area_m2": area, **drugs.get(pk, {})}
        measures.update(checks.get(pk, {}))
        yield Contribution(pk, day, (path,), measures)


def _users_of(product) -> list[int]:
    return list(OperationDrug.objects.filter(product=product).values_list("operation_id", flat=True).distinct())


ROLLUP = RecordRollup(
    key=KEY,
    record_model="pestcontrol.Operation",
    contributions=contributions,
    watch={
        "pestcontrol.OperationDrug": lambda row: [row.operation_id],
        "pestcontrol.FollowUpCheck": lambda row: [row.operation_id],
        "pestcontrol.Product": _users_of,
    },
)


def survey_contributions(record_ids: list[int] | None):
    surveys = Survey.objects.all()
    if record_ids is not None:
        surveys = surveys.filter(pk__in=record_ids)
    for pk, day, path, method, counts in surveys.values_list(
        "pk", "surveyed_on", "jurisdiction__path", "method", "counts"
    ).iterator(chunk_size=2000):
        if method not in BY_CODE:
            continue
        measures = {}
        for name, value in (counts or {}).items():
            try:
                measures[f"{method}:{name}"] = Decimal(str(value or 0))
            except ArithmeticError:
                continue
        yield Contribution(pk, day, (path,), measures)


SURVEYS_ROLLUP = RecordRollup(key=SURVEYS_KEY, record_model="pestcontrol.Survey", contributions=survey_contributions)
