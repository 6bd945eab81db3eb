"""Final reports for the 报送 tests, written directly (one part; the generator is not needed)."""

from datetime import date

from django.utils import timezone

from apps.reports.choices import ReportKind, ReportStatus
from apps.reports.models import Report, ReportPart


def final_report(o, *, jurisdiction=None, kind=ReportKind.YEAR_SUMMARY, start=date(2026, 1, 1), end=None, **extra):
    """A final report of `jurisdiction` (甲一社区) for the year or the first half of `start`'s year."""
    jurisdiction = jurisdiction or o.comm_a1
    end = end or (date(start.year, 12, 31) if kind == ReportKind.YEAR_SUMMARY else date(start.year, 6, 30))
    fields = {
        "jurisdiction": jurisdiction,
        "kind": kind,
        "period_start": start,
        "period_end": end,
        "title": f"{jurisdiction.name}{start.year}年工作总结",
        "office": jurisdiction.name,
        "status": ReportStatus.FINAL,
        "created_by": o.community,
        "finalized_by": o.community,
        "finalized_at": timezone.now(),
    } | extra
    report = Report.objects.create(**fields)
    ReportPart.objects.create(report=report, key="opening", kind="opening", order=1, text="今年共开展活动999次。")
    return report
