"""What the Aedes household survey offers the totals page and the evidence ledger:

- figure `pestcontrol.breteau_index` (布雷图指数) for an area and a period, pooled from every
  household visit in it: Σ positive containers ÷ Σ households × 100, with both sums;
- evidence source `pestcontrol.household_surveys` (入户调查记录): submitted household surveys,
  newest first, with their households and BI in the summary.

Nothing here is scoped to a user: each record's page stays scoped like any page of the app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    narrow,
    node_id,
    window,
)

from .. import methods
from ..choices import SurveyStatus
from ..models import Survey
from ..selectors.aedes import pooled
from ..services.aedes import breteau

GROUP = _("除四害与病媒生物监测")
RECORD_LIMIT = 20000


def home_url(path: str, start: date | None, end: date | None) -> str:
    params = {"jurisdiction": node_id(path)}
    if start:
        params["week"] = start.isoformat()
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    return reverse("pestcontrol:aedes_home") + "?" + urlencode(params)


def breteau_figure(path: str, start: date | None, end: date | None) -> FigureValue:
    sums = pooled(path, start, end)
    value = breteau(sums["households"], sums["positive"])
    return FigureValue(
        value=value,
        numerator=Decimal(sums["positive"]),
        denominator=Decimal(sums["households"]),
        url=home_url(path, start, end),
        note=gettext("阳性容器数 ÷ 调查户数 × 100"),
    )


FIGURES = [
    FigureSource(
        key="pestcontrol.breteau_index",
        label=_("布雷图指数"),
        unit="",
        compute=breteau_figure,
        description=_("期内全部入户调查合计：阳性容器数 ÷ 调查户数 × 100"),
        group=GROUP,
        permission="pestcontrol.householdvisit",
        order=40,
    ),
]


def _surveys(query: EvidenceQuery):
    qs = Survey.objects.filter(
        method=methods.HOUSEHOLD_METHOD,
        status=SurveyStatus.SUBMITTED,
        jurisdiction__path__startswith=query.jurisdiction_path,
    )
    if query.start:
        qs = qs.filter(surveyed_on__gte=query.start)
    if query.end:
        qs = qs.filter(surveyed_on__lte=query.end)
    return narrow(qs, query, search_fields=("place_name", "jurisdiction__name"))


def survey_records(query: EvidenceQuery):
    rows = window(
        _surveys(query)
        .order_by("-surveyed_on", "-id")
        .values("id", "surveyed_on", "place_name", "counts", "jurisdiction__name", "jurisdiction__path"),
        query,
        RECORD_LIMIT,
    )
    for row in rows:
        counts = row["counts"] or {}
        bi = breteau(counts.get("households") or 0, counts.get("containers_positive") or 0)
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=gettext("入户调查 {place}").format(place=f"{row['jurisdiction__name']} {row['place_name']}".strip()),
            occurred_on=row["surveyed_on"],
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("pestcontrol:aedes_survey", args=[row["id"]]),
            summary=gettext("调查 {n} 户，阳性容器 {p} 个，布雷图指数 {bi}").format(
                n=counts.get("households") or 0,
                p=counts.get("containers_positive") or 0,
                bi=bi if bi is not None else "—",
            ),
        )


EVIDENCE = [
    EvidenceSource(key="pestcontrol.household_surveys", label=_("伊蚊入户调查记录"), records=survey_records),
]
