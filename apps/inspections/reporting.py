"""五、检查评比 of the work summaries (apps/core/reporting.py): the sheets, their average score and
the flags (apps/inspections/evidence.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import INSPECTION, ReportSection, ReportSentence

from .choices import FlagKind
from .evidence import average_percent, flag_counts

# Below this average a summary names the inspections' results as a weakness.
SCORE_FLOOR = 85


def problems(path: str, start: date, end: date) -> list[str]:
    found = []
    yellow = flag_counts(path, start, end)[FlagKind.YELLOW]
    if yellow:
        found.append(gettext("评比中被评为黄旗（末位）%(n)s次，排名靠后的单位整改不够到位。") % {"n": yellow})
    score = average_percent(path, start, end).value
    if score is not None and score < SCORE_FLOOR:
        found.append(gettext("检查平均得分为%(score)s分，部分单位卫生状况仍未达标。") % {"score": score})
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("坚持定期检查和评比通报制度，以查促改，对排名靠后的单位加强督导。")]


SECTION = ReportSection(
    key="inspections",
    heading=_("检查评比"),
    order=INSPECTION,
    sentences=[
        ReportSentence(_("开展卫生检查，提交检查表{inspections.sheets}，平均得分{inspections.average_percent}。")),
        ReportSentence(_("在评比中获得流动红旗{inspections.red_flags}。")),
    ],
    problems=problems,
    plans=plans,
    permission="inspections.inspection",
)
