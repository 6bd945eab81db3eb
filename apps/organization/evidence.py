"""What the organisation offers the totals page, the self-assessment and the work summaries as
figures (apps/core/evidence.py FigureSource), for a jurisdiction subtree N:

- `organization.population` (人) and `organization.households` (户): N's own recorded values
  (人口, 户数 on the jurisdiction), not a sum of its children's (the offices record a street's
  population themselves, and children's records are often partial). Zero when not recorded.
- `organization.groups` (个): the leadership and working groups (领导小组, 工作小组) of N's
  subtree, as they stand (groups carry no dates).

The period does not apply to any of them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import FigureSource, FigureValue, node_id

from .choices import GroupKind
from .models import Jurisdiction, WorkGroup

GROUP = _("组织")
PERMISSION = "organization.jurisdiction"


def _node_url(path: str) -> str:
    pk = node_id(path)
    return reverse("organization:jurisdiction_detail", args=[pk]) if pk else ""


def _recorded(path: str, field: str) -> FigureValue:
    value = Jurisdiction.objects.filter(path=path).values_list(field, flat=True).first()
    return FigureValue(Decimal(value or 0), url=_node_url(path))


def population(path: str, start: date | None, end: date | None) -> FigureValue:
    return _recorded(path, "population")


def households(path: str, start: date | None, end: date | None) -> FigureValue:
    return _recorded(path, "households")


def group_counts(path: str) -> dict:
    return WorkGroup.objects.filter(jurisdiction__path__within=path).aggregate(
        total=Count("id"), leadership=Count("id", filter=Q(kind=GroupKind.LEADERSHIP))
    )


def groups(path: str, start: date | None, end: date | None) -> FigureValue:
    counts = group_counts(path)
    return FigureValue(
        Decimal(counts["total"]),
        url=reverse("organization:group_list"),
        note=str(_("其中领导小组 {n} 个")).format(n=counts["leadership"]),
    )


def _figure(key, label, unit, compute, description, order) -> FigureSource:
    return FigureSource(
        key=key,
        label=label,
        unit=unit,
        compute=compute,
        description=description,
        group=GROUP,
        permission=PERMISSION,
        order=order,
    )


FIGURES = [
    _figure("organization.population", _("辖区人口"), "人", population, _("辖区登记的人口数（本级记录值）"), 10),
    _figure("organization.households", _("辖区户数"), "户", households, _("辖区登记的户数（本级记录值）"), 20),
    _figure(
        "organization.groups",
        _("领导小组和工作小组"),
        "个",
        groups,
        _("辖区及下级成立的领导小组和工作小组数"),
        30,
    ),
]
