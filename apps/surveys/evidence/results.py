"""What survey results offer the evidence ledger (台账) and the figures (self-assessment, totals
page, work summary), through the registry.

- Figures `surveys.awareness` (知晓率), `surveys.behaviour` (健康行为形成率) and
  `surveys.satisfaction` (满意率), in %, for a jurisdiction and a period: the survey read is the
  latest one CLOSED within the period (by closing time) owned by the jurisdiction or one of its
  ancestors (a city survey answers for its streets); when none closed, the latest OPEN one
  opened by the period's end (its live results, marked as such in the note). The note gives n
  and the 95% Wilson interval. None when no survey applies or it has no answers for that rate.
- Evidence `surveys.results` (问卷调查结果): the surveys closed within the period owned in the
  subtree, dated on their closing day, with the three rates in the summary.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import EvidenceQuery, EvidenceRecord, EvidenceSource, FigureSource, FigureValue, narrow, window
from apps.core.units import unit_lazy

from ..choices import SurveyStatus
from ..models import Questionnaire
from ..selectors.results import results_of

GROUP = _("健康教育")
PERMISSION = "surveys.questionnaire"
RECORD_LIMIT = 20000
RATES = {
    "surveys.awareness": ("awareness", _("知晓率")),
    "surveys.behaviour": ("behaviour", _("健康行为形成率")),
    "surveys.satisfaction": ("satisfaction", _("满意率")),
}


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def survey_for(path: str, start: date | None, end: date | None) -> Questionnaire | None:
    """The survey a figure of `path` reads (see the module's docstring)."""
    owners = Questionnaire.objects.filter(jurisdiction_id__in=_ids(path) or [0]).select_related("jurisdiction")
    closed = owners.filter(status=SurveyStatus.CLOSED, closed_at__isnull=False)
    if start:
        closed = closed.filter(closed_at__date__gte=start)
    if end:
        closed = closed.filter(closed_at__date__lte=end)
    survey = closed.order_by("-closed_at", "-id").first()
    if survey is None:
        opened = owners.filter(status=SurveyStatus.OPEN)
        if end:
            opened = opened.filter(opened_at__date__lte=end)
        survey = opened.order_by("-opened_at", "-id").first()
    return survey


def _figure(key: str):
    name, _label = RATES[key]

    def compute(path: str, start: date | None, end: date | None) -> FigureValue:
        survey = survey_for(path, start, end)
        if survey is None:
            return FigureValue(value=None, note=gettext("没有可用的调查"))
        results, frozen = results_of(survey)
        rate = results["overall"][name]
        url = reverse("surveys:questionnaire_results", args=[survey.pk])
        if rate["value"] is None:
            return FigureValue(value=None, url=url, note=gettext("{title}：暂无答卷").format(title=survey.title))
        when = (
            gettext("结束于 {day}").format(day=f"{timezone.localtime(survey.closed_at):%Y-%m-%d}")
            if frozen
            else gettext("调查进行中")
        )
        return FigureValue(
            value=Decimal(rate["value"]),
            numerator=Decimal(rate["k"]),
            denominator=Decimal(rate["n"]),
            url=url,
            note=gettext("{title}（{when}）：n = {n}，95% 置信区间 {low}%–{high}%").format(
                title=survey.title, when=when, n=rate["n"], low=rate["low"], high=rate["high"]
            ),
        )

    return compute


FIGURES = [
    FigureSource(
        key=key,
        label=label,
        unit=unit_lazy("%"),
        compute=_figure(key),
        description=_("辖区或上级辖区最近结束（或进行中）的问卷调查，按答卷计算，附 95% Wilson 置信区间"),
        group=GROUP,
        permission=PERMISSION,
        order=50 + i,
    )
    for i, (key, (_name, label)) in enumerate(RATES.items())
]


def result_records(query: EvidenceQuery):
    qs = Questionnaire.objects.filter(
        jurisdiction__path__startswith=query.jurisdiction_path, status=SurveyStatus.CLOSED, closed_at__isnull=False
    )
    if query.start:
        qs = qs.filter(closed_at__date__gte=query.start)
    if query.end:
        qs = qs.filter(closed_at__date__lte=query.end)
    qs = narrow(qs, query, search_fields=("title",))
    rows = window(
        qs.order_by("-closed_at", "-id").values("id", "title", "closed_at", "frozen_results", "jurisdiction__path"),
        query,
        RECORD_LIMIT,
    )
    for row in rows:
        overall = (row["frozen_results"] or {}).get("overall", {})
        parts = []
        for _key, (name, label) in RATES.items():
            value = (overall.get(name) or {}).get("value")
            parts.append(f"{label} {value}%" if value is not None else f"{label} —")
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=row["title"],
            occurred_on=timezone.localtime(row["closed_at"]).date(),
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("surveys:questionnaire_results", args=[row["id"]]),
            summary=gettext("n = {n}；{rates}").format(n=overall.get("n", 0), rates="，".join(parts)),
        )


EVIDENCE = [EvidenceSource(key="surveys.results", label=_("问卷调查结果"), records=result_records)]
