"""门前三包与共建 of the work summaries (apps/core/reporting.py): the responsibility agreements'
coverage on the period's last day (apps/agreements/coverage.py, as the figures read it)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.reporting import AGREEMENTS, ReportSection, ReportSentence
from apps.organization.models import Jurisdiction

from .coverage import area_coverage


def problems(path: str, start: date, end: date) -> list[str]:
    area = Jurisdiction.objects.filter(path=path).first()
    if area is None:
        return []
    overall = area_coverage(area, as_of=end or timezone.localdate(), by_child=False).overall
    found = []
    if overall.lacking:
        found.append(
            gettext("尚有%(n)s个对象未签订或未续签责任书，签订率为%(rate)s%%。")
            % {"n": overall.lacking, "rate": overall.rate}
        )
    if overall.refused:
        found.append(gettext("有%(n)s个对象拒签责任书，需进一步做好宣传动员。") % {"n": overall.refused})
    if overall.expired:
        found.append(gettext("有%(n)s份责任书到期未续签。") % {"n": overall.expired})
    return found


def plans(path: str, start: date, end: date) -> list[str]:
    return [gettext("对未签订和到期未续签责任书的单位逐户上门落实，督促沿街单位履行门前三包责任。")]


SECTION = ReportSection(
    key="agreements",
    heading=_("门前三包与共建"),
    order=AGREEMENTS,
    sentences=[
        ReportSentence(_("与辖区单位和商户签订各类责任书{agreements.signed}，签订率{agreements.coverage_rate}。")),
        ReportSentence(_("门前三包责任书签订率{agreements.coverage_rate.frontage3}。")),
        ReportSentence(_("共驻共建责任书签订率{agreements.coverage_rate.partner}。")),
    ],
    problems=problems,
    plans=plans,
    permission="agreements.agreement",
)
