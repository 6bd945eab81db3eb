"""Celery tasks of campaigns: the deadline sweep of the task breakdown, the evidence rules' hourly
linking and binder builds. Each lives with its concept; this module is what Celery discovers."""

from .binder.jobs import campaign_binder_build, campaign_binders_fail_stale  # noqa: F401
from .deadlines import campaign_task_deadlines  # noqa: F401
from .services.evidence_sync import campaign_evidence_sync, campaign_evidence_sync_one  # noqa: F401
