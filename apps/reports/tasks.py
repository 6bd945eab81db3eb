"""The reports' Celery tasks (autodiscovered from here): PDF builds and their stale sweep, and the
daily reminder of reports not yet submitted (报送提醒)."""

from celery import shared_task

from apps.core.periodic import beat_singleton

from .pdf_jobs import reports_pdf_build, reports_pdf_fail_stale  # noqa: F401
from .submissions import remind_due


@shared_task(name="apps.reports.tasks.report_submissions_remind")
@beat_singleton
def report_submissions_remind() -> dict:
    """Remind the senders that have not reported for a call due within three days or past; each
    call at most once a day (ReportCall.reminded_on), so the hourly schedule only catches up."""
    return remind_due()
