"""Reads of the results part: the results a page shows (live for an open survey, the frozen
snapshot for a closed one), the targets of the standard the survey is held against, the rows of
a chosen grouping with their sampling warnings, the refusals, and the open surveys of a scope."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum

from ..choices import SurveyStatus
from ..models import Questionnaire
from ..results import RATE_LABELS, compute

FIGURE_KEYS = {
    "awareness": "surveys.awareness",
    "behaviour": "surveys.behaviour",
    "satisfaction": "surveys.satisfaction",
}


LIVE_SECONDS = 60


def results_of(questionnaire: Questionnaire) -> tuple[dict, bool]:
    """(results, frozen): a closed survey's stored snapshot, else the live computation, cached
    for LIVE_SECONDS under a key holding the number and the last id of the responses (a new
    answer is seen at once; an edited sampling plan within a minute)."""
    if questionnaire.status == SurveyStatus.CLOSED and questionnaire.frozen_results:
        return questionnaire.frozen_results, True
    stamp = questionnaire.responses.aggregate(n=Count("id"), last=Max("id"))
    key = f"surveys:results:{questionnaire.pk}:{questionnaire.current_version_id}:{stamp['n']}:{stamp['last']}"
    results = cache.get(key)
    if results is None:
        results = compute(questionnaire)
        cache.set(key, results, LIVE_SECONDS)
    return results, False


def targets_for(questionnaire: Questionnaire) -> dict[str, dict]:
    """Per rate, the target of the indicator carrying its figure key in the current version of
    the questionnaire's standard — or, when it names none, of the first active standard (by
    id) whose current version has such an indicator. {rate: {"threshold", "comparator",
    "indicator", "standard"}}; a rate without an indicator is left out."""
    from apps.standards.models import StandardIndicator

    indicators = StandardIndicator.objects.filter(
        figure_key__in=FIGURE_KEYS.values(),
        threshold__isnull=False,
        item__version=F("item__version__standard__current_version"),
    ).select_related("item__version__standard")
    if questionnaire.standard_id:
        indicators = indicators.filter(item__version__standard_id=questionnaire.standard_id)
    else:
        indicators = indicators.filter(item__version__standard__is_active=True)
    found: dict[str, dict] = {}
    by_key = {v: k for k, v in FIGURE_KEYS.items()}
    for indicator in indicators.order_by("item__version__standard_id", "sort", "id"):
        name = by_key[indicator.figure_key]
        if name not in found:
            found[name] = {
                "indicator": indicator,
                "threshold": indicator.threshold,
                "standard": indicator.item.version.standard,
            }
    return found


def _decimal(text) -> Decimal | None:
    try:
        return None if text is None else Decimal(text)
    except InvalidOperation:
        return None


def rate_cards(results: dict, targets: dict) -> list[dict]:
    """The three headline rates with their target verdict: 达标 / 未达标 by the point value
    (the way the standard reads), None without a target or without answers."""
    cards = []
    for name, label in RATE_LABELS.items():
        r = results["overall"][name]
        target = targets.get(name)
        value = _decimal(r["value"])
        meets = target["indicator"].meets(value) if target and value is not None else None
        cards.append({"key": name, "label": label, "rate": r, "target": target, "meets": meets})
    return cards


def group_rows(results: dict, group: str) -> list[dict]:
    return results["groups"].get(group, [])


def refusal_days(questionnaire: Questionnaire) -> dict:
    from .answering import refusal_table

    return refusal_table(questionnaire)


def open_surveys(user, limit: int = 5) -> list[dict]:
    """Open surveys the user may view, newest first, with answers so far and the planned total
    (the sampling targets' sum, else the age quotas'), in one query."""
    from ..models import AgeQuota, Response, SamplingTarget

    def total(model):
        return Subquery(
            model.objects.filter(questionnaire=OuterRef("pk"))
            .values("questionnaire")
            .annotate(t=Sum("target"))
            .values("t")[:1]
        )

    answers = Subquery(
        Response.objects.filter(questionnaire=OuterRef("pk"))
        .values("questionnaire")
        .annotate(c=Count("id"))
        .values("c")[:1]
    )
    rows = (
        Questionnaire.objects.filter(status=SurveyStatus.OPEN)
        .restrict(user, "view")
        .annotate(answers=answers, planned=total(SamplingTarget), quota=total(AgeQuota))
        .order_by("-opened_at", "-id")[:limit]
    )
    return [{"q": q, "answers": q.answers or 0, "planned": q.planned or q.quota or None} for q in rows]
