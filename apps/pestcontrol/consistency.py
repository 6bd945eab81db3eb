"""Contradictions between pest-control records and the households a jurisdiction has on record,
offered to generated documents (apps/core/reporting.py `ConsistencyCheck`).

A record counts households of the jurisdiction it is recorded in (or of that jurisdiction's
subtree, which holds no more households than the jurisdiction records), so one record can never
reach more households than that jurisdiction has:

- `pestcontrol.operation_households`: an operation whose `households_covered`, or a follow-up
  check whose `households_checked`, exceeds its jurisdiction's recorded households.
- `pestcontrol.survey_households`: an Aedes household survey (methods.HOUSEHOLD_METHOD) that
  inspected more households than its jurisdiction records.

Per record, not summed over the period: rounds repeat (a monthly round covers the same homes
each month), so the period's total may well exceed the households; a single round cannot.
Jurisdictions with no households recorded (0) are not judged. The period is the figures' own:
operations (and the follow-ups of operations) performed in [start, end], surveys surveyed in it.
Each check is one grouped query per kind of record for the subtree, one item per jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, F, Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import ConsistencyCheck, Inconsistency

from . import methods
from .evidence import operations as operation_figures
from .evidence import surveys as survey_figures
from .models import FollowUpCheck, Operation, Survey

JURISDICTION = ("jurisdiction_id", "jurisdiction__name", "jurisdiction__path", "jurisdiction__households")


def _dated(qs, field: str, start: date | None, end: date | None):
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def operation_households(path: str, start: date | None, end: date | None) -> Iterator[Inconsistency]:
    """Operations covering, and follow-ups checking, more households than their jurisdiction has
    (two grouped queries)."""
    operations = (
        _dated(Operation.objects.filter(jurisdiction__path__startswith=path), "performed_on", start, end)
        .filter(jurisdiction__households__gt=0, households_covered__gt=F("jurisdiction__households"))
        .values(*JURISDICTION)
        .annotate(n=Count("id"), most=Max("households_covered"))
        .order_by("jurisdiction__path")
    )
    for row in operations:
        yield Inconsistency(
            gettext(
                "{name}：{count} 次除四害作业登记的覆盖住户多于辖区户数 {households} 户（最多一次 {most} 户）"
            ).format(
                name=row["jurisdiction__name"],
                count=row["n"],
                households=row["jurisdiction__households"],
                most=row["most"],
            ),
            ("pestcontrol.households_covered",),
            operation_figures.list_url(row["jurisdiction__path"], start, end),
            row["jurisdiction__path"],
        )
    checks = (
        _dated(
            FollowUpCheck.objects.filter(operation__jurisdiction__path__startswith=path),
            "operation__performed_on",
            start,
            end,
        )
        .filter(
            operation__jurisdiction__households__gt=0,
            households_checked__gt=F("operation__jurisdiction__households"),
        )
        .values(*(f"operation__{name}" for name in JURISDICTION))
        .annotate(n=Count("id"), most=Max("households_checked"))
        .order_by("operation__jurisdiction__path")
    )
    for row in checks:
        jurisdiction_path = row["operation__jurisdiction__path"]
        yield Inconsistency(
            gettext(
                "{name}：{count} 次回访检查登记的回访户数多于辖区户数 {households} 户（最多一次 {most} 户）"
            ).format(
                name=row["operation__jurisdiction__name"],
                count=row["n"],
                households=row["operation__jurisdiction__households"],
                most=row["most"],
            ),
            ("pestcontrol.purchase_rate", "pestcontrol.retention_rate"),
            operation_figures.list_url(jurisdiction_path, start, end),
            jurisdiction_path,
        )


def survey_households(path: str, start: date | None, end: date | None) -> Iterator[Inconsistency]:
    """Household surveys that inspected more households than their jurisdiction has (one grouped
    query); the survey's households are its `sample_size` (services/aedes.py keeps them equal)."""
    surveys = (
        _dated(Survey.objects.filter(jurisdiction__path__startswith=path), "surveyed_on", start, end)
        .filter(
            method=methods.HOUSEHOLD_METHOD,
            jurisdiction__households__gt=0,
            sample_size__gt=F("jurisdiction__households"),
        )
        .values(*JURISDICTION)
        .annotate(n=Count("id"), most=Max("sample_size"))
        .order_by("jurisdiction__path")
    )
    for row in surveys:
        yield Inconsistency(
            gettext(
                "{name}：{count} 次入户调查登记的调查户数多于辖区户数 {households} 户（最多一次 {most} 户）"
            ).format(
                name=row["jurisdiction__name"],
                count=row["n"],
                households=row["jurisdiction__households"],
                most=f"{row['most'].normalize():f}",
            ),
            ("pestcontrol.index.breteau_index", "pestcontrol.index.house_index"),
            survey_figures.list_url(row["jurisdiction__path"], start, end, method=methods.HOUSEHOLD_METHOD),
            row["jurisdiction__path"],
        )


OPERATION_CHECKS = [ConsistencyCheck("pestcontrol.operation_households", _("除四害作业户数"), operation_households)]
SURVEY_CHECKS = [ConsistencyCheck("pestcontrol.survey_households", _("入户调查户数"), survey_households)]
