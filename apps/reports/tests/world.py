"""The reports' part of the access-matrix world: a year summary of 甲一社区 drafted by its staff,
a second one to sign off, and a built PDF of the first; for 报送 a final report not yet submitted
(`report_final`) and a submitted one (`submission`)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.reports import services
from apps.reports.choices import FileStatus
from apps.reports.models import ReportFile
from apps.reports.submissions import submit
from apps.reports.tests.submission_data import final_report


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
    # The test org's 甲一社区 records 9,000 residents and its one estate 3,000: two populations, which
    # would (rightly) block the export of a text quoting the population. The organisation part is
    # rewritten without it, as a person resolving the contradiction might.
    organisation = o.report.parts.filter(key="organization").first()
    if organisation is not None:
        services.part_edit(
            actor=o.community,
            report=o.report,
            part=organisation,
            text="成立创卫工作领导小组，明确职责分工。",
            expected_version=o.report.version,
        )
        o.report.refresh_from_db()
    o.report_part = o.report.parts.get(key="opening")
    o.report_to_finalize = make_report(o, kind="half_summary", period_start=o.report.period_start)
    o.report_file = ReportFile.objects.create(
        report=o.report,
        revision=1,
        status=FileStatus.SUCCEEDED,
        created_by=o.community,
        file=ContentFile(b"%PDF-1.4\n%test\n", name="report.pdf"),
    )
    # 报送: a final 年度工作总结 of 甲一社区 not yet submitted, and a 半年工作总结 it submitted to 甲街道.
    o.report_final = final_report(o)
    o.report_sent = final_report(o, kind="half_summary", title="甲一社区上半年工作总结")
    o.submission = submit(o.community, o.report_sent)
