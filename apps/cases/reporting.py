"""三、环境卫生整治 of the work summaries (apps/core/reporting.py): the drives and their outputs
(figures of `activities`, named by their keys) and the cases (apps/cases/evidence.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import ENVIRONMENT, ReportSection, ReportSentence

from .evidence import figure_values

# Below these a summary names the indicator as a weakness (the offices' usual marks).
ON_TIME_FLOOR = 90
REWORK_CEILING = 10


def problems(path: str, start: date, end: date) -> list[str]:
    values = figure_values(path, start, end)
    found = []
    overdue = int(values["cases.overdue"].value or 0)
    if overdue:
        found.append(gettext("尚有%(n)s件问题超期未整改。") % {"n": overdue})
    recurrence = int(values["cases.recurrence"].value or 0)
    if recurrence:
        found.append(gettext("部分问题整改后出现反弹，同类问题重复发生%(n)s件。") % {"n": recurrence})
    rework = values["cases.rework_rate"].value
    if rework is not None and rework > REWORK_CEILING:
        found.append(gettext("派遣处置的问题中有%(rate)s%%核查不通过返工，整改质量有待提高。") % {"rate": rework})
    rate = values["cases.on_time_rate"].value
    if rate is not None and rate < ON_TIME_FLOOR:
        found.append(gettext("按期结案率为%(rate)s%%，问题处置效率有待提高。") % {"rate": rate})
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [
        gettext("对超期未整改的问题逐件督办，限期整改到位。"),
        gettext("建立健全环境卫生长效管理机制，巩固整治成果，防止问题反弹。"),
    ]


SECTION = ReportSection(
    key="environment",
    heading=_("环境卫生整治"),
    order=ENVIRONMENT,
    sentences=[
        ReportSentence(
            _(
                "本期共开展爱国卫生活动{activities.drives}，参与{activities.person_times}，"
                "清运垃圾{activities.output.garbage_t}，清理卫生死角{activities.output.dead_spots}。"
            )
        ),
        ReportSentence(
            _(
                "清除杂草{activities.output.weeds}，疏通沟渠{activities.output.ditches}，"
                "清理牛皮癣和小广告{activities.output.ads}。"
            )
        ),
        ReportSentence(
            _(
                "新增配备垃圾箱{activities.output.bins}、果皮箱{activities.output.peel_bins}、"
                "保洁车{activities.output.carts}。"
            )
        ),
        ReportSentence(
            _("受理各类环境卫生问题{cases.received}，已办结{cases.closed}，按期结案率{cases.on_time_rate}。")
        ),
    ],
    problems=problems,
    plans=plans,
    permission="cases.case",
)
