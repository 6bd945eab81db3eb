"""一、组织领导 of the work summaries (apps/core/reporting.py): the area, its groups and the
leadership group's meetings (a figure of `meetings`, named by its key)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import ORGANISATION, ReportSection, ReportSentence

from .evidence import group_counts, households, population


def problems(path: str, start: date, end: date) -> list[str]:
    found = []
    if not group_counts(path)["leadership"]:
        found.append(gettext("尚未成立创卫领导小组，组织领导和统筹协调有待加强。"))
    if not population(path, start, end).value or not households(path, start, end).value:
        found.append(gettext("辖区人口、户数等基础数据尚未登记完整。"))
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("进一步健全创卫组织机构，定期召开领导小组会议，研究解决创卫工作中的重点难点问题。")]


SECTION = ReportSection(
    key="organization",
    heading=_("组织领导"),
    order=ORGANISATION,
    sentences=[
        ReportSentence(_("辖区现有人口{organization.population}、{organization.households}。")),
        ReportSentence(_("成立创卫领导小组和工作小组{organization.groups}，明确职责分工，责任落实到人。")),
        ReportSentence(_("本期召开领导小组会议{meetings.leadership_held}，研究部署创卫工作。")),
    ],
    problems=problems,
    plans=plans,
    permission="organization.jurisdiction",
)
