"""The results part's pages: the results page (rates with Wilson intervals, per group, against
targets and the sampling plan, per-question tallies, a chart) and the answers export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core.filters import InvalidFilters
from apps.core.views_base import requires

from ..exports.results import answers_workbook
from ..filters.results import ResultGroup, ResultGroupFilterSet
from ..selectors import answering as answering_selectors
from ..selectors import results as selectors
from ..workflow import owns

SURVEY = "surveys.questionnaire"


def _chart(rows: list[dict]) -> dict:
    def number(rate):
        return float(rate["value"]) if rate["value"] is not None else None

    return {
        "labels": [row["label"] or _("未填写") for row in rows],
        "series": {name: [number(row[name]) for row in rows] for name in ("awareness", "behaviour", "satisfaction")},
    }


@requires(SURVEY, "view")
def questionnaire_results(request, pk):
    questionnaire = answering_selectors.questionnaire_for(request.user, pk)
    errors: list[str] = []
    try:
        group = ResultGroupFilterSet(request.GET, user=request.user).params().get("group") or ResultGroup.COMMUNITY
    except InvalidFilters as error:
        errors = list(error.messages)
        group = ResultGroup.COMMUNITY
    results, frozen = selectors.results_of(questionnaire)
    targets = selectors.targets_for(questionnaire)
    rows = selectors.group_rows(results, group)
    return TemplateResponse(
        request,
        "surveys/results.html",
        {
            "q": questionnaire,
            "tab": "results",
            "results": results,
            "frozen": frozen,
            "cards": selectors.rate_cards(results, targets),
            "group": group,
            "groups": ResultGroup.choices,
            "group_label": ResultGroup(group).label,
            "rows": rows,
            "chart": _chart(rows),
            "refusals": selectors.refusal_days(questionnaire),
            "errors": errors,
            "can_export": owns(questionnaire, request.user),
        },
        status=400 if errors else 200,
    )


@requires(SURVEY, "view")
def questionnaire_export(request, pk):
    questionnaire = answering_selectors.questionnaire_for(request.user, pk)
    # Each row is one respondent of every community of the survey: the owner level's to take away.
    # A level below reads the upper level's results on the page, not its rows.
    if not owns(questionnaire, request.user):
        raise PermissionDenied
    return FileResponse(
        answers_workbook(questionnaire),
        as_attachment=True,
        filename=f"survey-{questionnaire.pk}-answers.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
