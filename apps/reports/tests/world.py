"""The reports' part of the access-matrix world: a year summary of 甲一社区 drafted by its staff,
a second one to sign off, and a built PDF of the first."""

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.reports import services
from apps.reports.choices import FileStatus
from apps.reports.models import ReportFile


def make_report(o, **extra):
    today = timezone.localdate()
    fields = {
        "actor": o.community,
        "jurisdiction": o.comm_a1,
        "kind": "year_summary",
        "period_start": today.replace(month=1, day=1),
        "period_end": today.replace(month=12, day=31),
    } | extra
    return services.report_create(**fields)


def extend(o) -> None:
    o.report = make_report(o)
    o.report_part = o.report.parts.get(key="opening")
    o.report_to_finalize = make_report(o, kind="half_summary", period_start=o.report.period_start)
    o.report_file = ReportFile.objects.create(
        report=o.report,
        revision=1,
        status=FileStatus.SUCCEEDED,
        created_by=o.community,
        file=ContentFile(b"%PDF-1.4\n%test\n", name="report.pdf"),
    )
