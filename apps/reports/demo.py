"""The reports' part of the demo street: one community (not 东苑社区, whose staff the tour lets
write theirs) has already generated, signed off and submitted the year's 工作总结, so the street's
报送 page shows one 已报 beside the 未报 and its roll-up from the records. The street sets the
deadline itself (报送要求) on that page."""

from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role

from . import selectors, services, submissions
from .choices import ReportKind


def build(demo) -> None:
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    street_user = User.objects.filter(role=Role.STREET, jurisdiction__isnull=False).order_by("pk").first()
    if street_user is None:
        return
    street = street_user.jurisdiction
    sender = (
        User.objects.filter(role=Role.COMMUNITY, jurisdiction__parent=street)
        .exclude(jurisdiction__name="东苑社区")
        .order_by("pk")
        .first()
    )
    if sender is None:
        return
    report = services.report_create(
        actor=sender, jurisdiction=sender.jurisdiction, kind=ReportKind.YEAR_SUMMARY, period_start=start, period_end=end
    )
    blocking = selectors.blocking_inconsistencies(report)
    if blocking:  # the demo's records contradict each other: leave the draft for a person to resolve
        return
    report = services.report_finalize(actor=sender, report=report, expected_version=report.version, blocking=blocking)
    submissions.submit(sender, report)
