"""Reads of 病媒生物监测, always restricted to what the user may see: the survey list, a survey's
computed and graded indices, the minimum samples, 灭效 of a campaign, the control levels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from .. import methods
from ..choices import Pest, PlaceType, SurveyPhase
from ..filters.surveys import SurveyFilterSet
from ..grading import ThresholdCache
from ..models import ControlStandard, ControlVersion, MethodSetting, PestCampaign, Survey
from .grades import add_counts


def below_minimum(survey: Survey, minimums: dict[str, int]) -> bool:
    return survey.sample_size < minimums.get(survey.method, 0)


def survey_list(*, user, filters=None) -> QuerySet[Survey]:
    """Surveys in the user's scope, filtered (InvalidFilters when refused), newest first."""
    qs = Survey.objects.restrict(user).select_related("jurisdiction", "unit", "surveyor", "campaign")
    qs = SurveyFilterSet.apply(qs, filters, user=user)
    return qs.order_by("-surveyed_on", "-id")


def decorate(surveys, *, cache: ThresholdCache | None = None, minimums: dict | None = None) -> list[Survey]:
    """Each survey with `computed` (rows of index, value, grade), `grade` (its pest's worst, by
    the version in force on its date) and `below_minimum`, for lists and exports."""
    cache = cache or ThresholdCache()
    minimums = minimums if minimums is not None else MethodSetting.minimums()
    rows = list(surveys)
    for survey in rows:
        thresholds = cache.for_date(survey.pest, survey.surveyed_on)
        values = survey.indices()
        survey.computed = [
            {
                "index": index,
                "value": values.get(index.key),
                "grade": thresholds.grade(index.key, survey.place_type, values.get(index.key))
                if index.graded
                else None,
            }
            for index in survey.definition.indices
        ]
        survey.grade = thresholds.place_grade(
            {i.key: values.get(i.key) for i in survey.definition.indices if i.graded}, survey.place_type
        )
        survey.below_minimum = below_minimum(survey, minimums)
        survey.minimum = minimums.get(survey.method)
        survey.version_in_force = cache.version_on(survey.pest, survey.surveyed_on)
        survey.pest_label = Pest(survey.pest).label if survey.pest in Pest.values else survey.pest
        survey.sample_unit = survey.definition.input(survey.definition.sample).unit
    return rows


def survey_detail_qs():
    return Survey.objects.select_related("jurisdiction", "unit", "surveyor", "campaign")


# 灭效 ------------------------------------------------------------------------------------------


@dataclass
class EfficacyRow:
    method: methods.Method
    index: methods.Index
    before: Decimal | None
    after: Decimal | None
    efficacy: Decimal | None
    before_surveys: int
    after_surveys: int


def campaign_efficacy(*, user, campaign: PestCampaign) -> list[EfficacyRow]:
    """Per method and index: the pooled value of the campaign's 防制前 surveys, of its 防制后
    surveys, and 灭效 = (before − after) / before (methods.efficacy). One query."""
    pooled: dict[str, dict[str, dict]] = {}
    numbers: dict[tuple[str, str], int] = {}
    rows = (
        Survey.objects.restrict(user)
        .filter(campaign=campaign)
        .exclude(phase="")
        .values_list("method", "phase", "counts")
    )
    for method, phase, counts in rows:
        if method not in methods.BY_CODE:
            continue
        add_counts(pooled.setdefault(method, {}).setdefault(phase, {}), counts)
        numbers[(method, phase)] = numbers.get((method, phase), 0) + 1
    result = []
    for definition in methods.METHODS:
        if definition.code not in pooled:
            continue
        before = definition.compute(pooled[definition.code].get(SurveyPhase.BEFORE, {}))
        after = definition.compute(pooled[definition.code].get(SurveyPhase.AFTER, {}))
        for index in definition.indices:
            result.append(
                EfficacyRow(
                    definition,
                    index,
                    before[index.key],
                    after[index.key],
                    methods.efficacy(before[index.key], after[index.key]) if index.better == "lower" else None,
                    numbers.get((definition.code, SurveyPhase.BEFORE), 0),
                    numbers.get((definition.code, SurveyPhase.AFTER), 0),
                )
            )
    return result


# Control levels ------------------------------------------------------------------------------


def standards() -> list[ControlStandard]:
    return list(ControlStandard.objects.prefetch_related("versions").order_by("code"))


def threshold_table(version: ControlVersion) -> list[dict]:
    """The version's limits as rows (index × place type) with A/B/C, in the methods' order."""
    limits: dict[tuple[str, str], dict[str, Decimal]] = {}
    for index, place_type, level, limit in version.thresholds.values_list("index", "place_type", "level", "limit"):
        limits.setdefault((index, place_type), {})[level] = limit
    order = {index.key: n for n, (_m, index) in enumerate(methods.graded_indices())}
    known = methods.indices()
    rows = []
    for (index, place_type), levels in sorted(limits.items(), key=lambda kv: (order.get(kv[0][0], 999), kv[0][1])):
        method, definition = known[index]
        rows.append(
            {
                "index": definition,
                "method": method,
                "place_type": place_type,
                "place_type_label": PlaceType(place_type).label if place_type in PlaceType.values else "",
                "levels": [levels.get(level) for level in ("A", "B", "C")],
            }
        )
    return rows
