"""二、宣传与健康教育 of the work summaries (apps/core/reporting.py): health education (this app's
figures), the drives' publicity outputs (`activities`) and the residents' awareness (`surveys`),
the other apps' figures named by their keys and read through the registry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import figures
from apps.core.reporting import PUBLICITY, ReportSection, ReportSentence

# 居民健康知识知晓率 below this is a weakness (the national standard's 85 %).
AWARENESS_FLOOR = 85


def _value(key: str, path: str, start: date, end: date) -> Decimal | None:
    figure = figures().get(key)
    return figure.compute(path, start, end).value if figure is not None else None


def problems(path: str, start: date, end: date) -> list[str]:
    found = []
    course = _value("education.course_rate", path, start, end)
    if course is not None and course < 100:
        found.append(gettext("健康教育开课率为%(rate)s%%，部分计划的课程未按期开展。") % {"rate": course})
    boards = _value("education.boards_on_time", path, start, end)
    if boards is not None and boards < 100:
        found.append(gettext("宣传栏更新不够及时，更新及时率为%(rate)s%%。") % {"rate": boards})
    awareness = _value("surveys.awareness", path, start, end)
    if awareness is not None and awareness < AWARENESS_FLOOR:
        found.append(
            gettext("居民健康知识知晓率为%(rate)s%%，低于%(floor)s%%的要求。")
            % {"rate": awareness, "floor": AWARENESS_FLOOR}
        )
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("继续利用宣传栏、健康讲座、入户宣传等多种形式普及健康知识，提高居民健康素养。")]


SECTION = ReportSection(
    key="publicity",
    heading=_("宣传与健康教育"),
    order=PUBLICITY,
    sentences=[
        ReportSentence(
            _(
                "开展健康教育活动{education.activities_held}，参加{education.attendance}，"
                "发放健康教育资料{education.materials}。"
            )
        ),
        ReportSentence(
            _(
                "举办健康讲座{activities.output.lectures}，悬挂横幅标语{activities.output.banners}，"
                "发放宣传资料{activities.output.materials}。"
            )
        ),
        ReportSentence(_("设置固定宣传栏{education.boards}，定期更新健康知识。")),
        ReportSentence(_("设置禁烟标识{education.no_smoking_signs}，建成无烟场所{education.smokefree_places}。")),
        ReportSentence(_("居民健康知识知晓率{surveys.awareness}，健康行为形成率{surveys.behaviour}。")),
    ],
    problems=problems,
    plans=plans,
    permission="education.educationactivity",
)
