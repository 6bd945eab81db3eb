"""What the Aedes household survey offers the totals page and the evidence ledger:

(the Breteau index of an area and period is the surveys part's figure
`pestcontrol.index.breteau_index`: household surveys' counts are the sums of their visits);
- evidence source `pestcontrol.household_surveys` (入户调查记录): submitted household surveys,
  newest first, with their households and BI in the summary.

Nothing here is scoped to a user: each record's page stays scoped like any page of the app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    narrow,
    window,
)

from .. import methods
from ..choices import SurveyStatus
from ..models import Survey
from ..services.aedes import breteau

RECORD_LIMIT = 20000


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
