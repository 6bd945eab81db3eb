"""The reports' Celery tasks (autodiscovered from here): PDF builds and their stale sweep."""

from .pdf_jobs import reports_pdf_build, reports_pdf_fail_stale  # noqa: F401
