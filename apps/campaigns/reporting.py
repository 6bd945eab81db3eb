"""创建与自评 of the work summaries (apps/core/reporting.py): the ledger's readiness and the
campaign tasks (apps/campaigns/figures.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import CAMPAIGN, ReportSection, ReportSentence

from .figures import ledger_readiness, overdue_tasks


def problems(path: str, start: date, end: date) -> list[str]:
    found = []
    overdue = overdue_tasks(path, end).count()
    if overdue:
        found.append(gettext("尚有%(n)s项创建任务逾期未完成。") % {"n": overdue})
    readiness = ledger_readiness(path, start, end)
    if readiness.value is not None and readiness.value < 100:
        missing = int(readiness.denominator - readiness.numerator)
        found.append(
            gettext("台账资料完备率为%(rate)s%%，尚有%(n)s个标准小项资料不全。")
            % {"rate": readiness.value, "n": missing}
        )
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("对照创建标准查漏补缺，完善台账资料，督促责任单位按期完成创建任务。")]


SECTION = ReportSection(
    key="campaigns",
    heading=_("创建与自评"),
    order=CAMPAIGN,
    sentences=[
        ReportSentence(_("对照创建标准分解落实创建任务，本期完成任务{campaigns.tasks_done}。")),
        ReportSentence(_("按标准逐项整理创建台账，资料完备率{campaigns.ledger_readiness}。")),
    ],
    problems=problems,
    plans=plans,
    permission="campaigns.task",
)
