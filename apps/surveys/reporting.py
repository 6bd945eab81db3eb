"""群众满意度 of the work summaries (apps/core/reporting.py): the rates of the survey that answers
for the area (apps/surveys/evidence/results.py: the latest closed in the period, owned by the area
or an area above it)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import SURVEYS, ReportSection, ReportSentence

from .evidence.results import FIGURES

# 群众满意率 below this is a weakness (the usual mark of the assessments).
SATISFACTION_FLOOR = 90
RATE_FIGURES = {figure.key: figure for figure in FIGURES}


def problems(path: str, start: date, end: date) -> list[str]:
    satisfaction = RATE_FIGURES["surveys.satisfaction"].compute(path, start, end).value
    if satisfaction is not None and satisfaction < SATISFACTION_FLOOR:
        return [
            gettext("群众满意率为%(rate)s%%，低于%(floor)s%%，群众反映的问题仍需加快解决。")
            % {"rate": satisfaction, "floor": SATISFACTION_FLOOR}
        ]
    return []


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("定期开展群众满意度调查，及时回应群众关心的环境卫生问题。")]


SECTION = ReportSection(
    key="surveys",
    heading=_("群众满意度"),
    order=SURVEYS,
    sentences=[
        ReportSentence(_("开展群众满意度问卷调查，群众对创卫工作的满意率{surveys.satisfaction}。")),
    ],
    problems=problems,
    plans=plans,
    permission="surveys.questionnaire",
)
