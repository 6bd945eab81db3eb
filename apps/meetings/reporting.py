"""会议与部署 of the work summaries (apps/core/reporting.py): meetings held, their decisions and
how they were carried out (apps/meetings/evidence.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import MEETINGS, ReportSection, ReportSentence

from .evidence import attendance_rate, decision_counts
from .selectors import rate

ATTENDANCE_FLOOR = 90


def problems(path: str, start: date, end: date) -> list[str]:
    found = []
    row = decision_counts(path, start, end)
    late = row["due"] - row["on_time"]
    if late:
        found.append(
            gettext("会议议定事项按期落实率为%(rate)s%%，尚有%(n)s项未按期落实。")
            % {"rate": rate(row["on_time"], row["due"]), "n": late}
        )
    attendance = attendance_rate(path, start, end).value
    if attendance is not None and attendance < ATTENDANCE_FLOOR:
        found.append(gettext("会议出席率为%(rate)s%%，部分成员单位参会不够积极。") % {"rate": attendance})
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("坚持创卫工作例会制度，对会议议定事项逐项跟踪督办，确保按期落实。")]


SECTION = ReportSection(
    key="meetings",
    heading=_("会议与部署"),
    order=MEETINGS,
    sentences=[
        ReportSentence(_("本期召开各类创卫工作会议{meetings.held}，形成议定事项{meetings.decisions}。")),
        ReportSentence(_("会议议定事项按期落实率{meetings.decisions_on_time_rate}。")),
        ReportSentence(_("会议出席率{meetings.attendance_rate}。")),
    ],
    problems=problems,
    plans=plans,
    permission="meetings.meeting",
)
