"""Contradictions between the organisation's own records, offered to generated documents
(apps/core/reporting.py `ConsistencyCheck`): a person resolves them before a document quoting the
numbers is exported.

- Two populations for one place (seed `001` L735 states 6989 and 10031 people for one
  community): a jurisdiction's recorded population differs from the sum of its direct children's
  when every child has one recorded, or is below the total of those children that have one (the
  parts cannot hold more than the whole; a child without a population is a gap, not a
  contradiction); the same for households.
- More households than people: `households > population`, both recorded (the form refuses it,
  an import or an older record may not have).

Recorded populations are not tied to a period: `start` and `end` are ignored. The items name the
figure keys `organization.population` / `organization.households`, the keys a figure quoting a
jurisdiction's recorded population or households is to use; a document that quotes neither only
lists them. Each links to the jurisdiction's edit page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import ConsistencyCheck, Inconsistency

from .models import Jurisdiction

POPULATION = "organization.population"
HOUSEHOLDS = "organization.households"


def _edit_url(pk: int) -> str:
    return reverse("organization:jurisdiction_update", args=[pk])


def _children_disagree(row: dict, field: str) -> bool:
    """Whether a node's recorded `field` contradicts its direct children's: their recorded total
    is above it (the parts hold more than the whole), or differs from it while every child has
    one recorded."""
    children, total = row["n_children"], row[f"{field}_sum"] or 0
    if not row[field] or not children:
        return False
    return total > row[field] or (row[f"n_{field}"] == children and total != row[field])


def find(path: str, start: date | None = None, end: date | None = None) -> Iterator[Inconsistency]:
    """The contradictions in the subtree at `path`, in tree order: one query (each node with its
    direct children's count and sums; only the contradicting nodes come back)."""
    recorded = Count("children", filter=Q(children__population__gt=0))
    recorded_households = Count("children", filter=Q(children__households__gt=0))
    rows = (
        Jurisdiction.objects.filter(path__startswith=path)
        .annotate(
            n_children=Count("children"),
            n_population=recorded,
            n_households=recorded_households,
            population_sum=Sum("children__population"),
            households_sum=Sum("children__households"),
        )
        .filter(
            Q(population__gt=0, population_sum__gt=F("population"))
            | Q(population__gt=0, n_children__gt=0, n_population=F("n_children")) & ~Q(population=F("population_sum"))
            | Q(households__gt=0, households_sum__gt=F("households"))
            | Q(households__gt=0, n_children__gt=0, n_households=F("n_children")) & ~Q(households=F("households_sum"))
            | Q(population__gt=0, households__gt=F("population"))
        )
        .order_by("path")
        .values(
            "pk",
            "name",
            "path",
            "population",
            "households",
            "n_children",
            "n_population",
            "n_households",
            "population_sum",
            "households_sum",
        )
    )
    for row in rows:
        url = _edit_url(row["pk"])
        if _children_disagree(row, "population"):
            yield Inconsistency(
                gettext("{name}：人口 {recorded} 人（辖区档案）与下属 {count} 个辖区合计 {total} 人不一致").format(
                    name=row["name"], recorded=row["population"], count=row["n_children"], total=row["population_sum"]
                ),
                (POPULATION,),
                url,
                row["path"],
            )
        if _children_disagree(row, "households"):
            yield Inconsistency(
                gettext("{name}：户数 {recorded} 户（辖区档案）与下属 {count} 个辖区合计 {total} 户不一致").format(
                    name=row["name"], recorded=row["households"], count=row["n_children"], total=row["households_sum"]
                ),
                (HOUSEHOLDS,),
                url,
                row["path"],
            )
        if row["population"] and row["households"] > row["population"]:
            yield Inconsistency(
                gettext("{name}：户数 {households} 户多于人口 {population} 人").format(
                    name=row["name"], households=row["households"], population=row["population"]
                ),
                (POPULATION, HOUSEHOLDS),
                url,
                row["path"],
            )


CHECKS = [ConsistencyCheck("organization.population", _("人口与户数"), find)]
