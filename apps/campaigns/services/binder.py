"""Starting a binder build (in the request); the build itself runs in the worker
(`apps/campaigns/binder/jobs.py`)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.exceptions import DomainError

from ..binder import jobs
from ..choices import BinderStatus
from ..models import BinderExport, Campaign
from .common import ensure_area, ensure_sees

logger = logging.getLogger(__name__)


class BinderAlreadyRunning(DomainError):
    pass


@transaction.atomic
def binder_start(*, actor, campaign: Campaign, jurisdiction) -> BinderExport:
    """Queue a binder of `campaign` for `jurisdiction` (the actor's own area or one inside it,
    inside the campaign's: a street exports its part of the district's campaign).

    Checks: the actor may add binders and sees the campaign; the area lies inside both. Locks the
    campaign row so two requests cannot both start a build of the same area; a build of the
    same campaign and area still pending or running is refused (one a crashed worker left
    behind is failed first, so it does not block forever). Audited; the job is enqueued once
    the transaction commits."""
    ensure_sees(actor, campaign, BinderExport, "add")
    ensure_area(actor, campaign, jurisdiction)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    jobs.binders_fail_stale(campaign=campaign, jurisdiction=jurisdiction)
    running = BinderExport.objects.filter(
        campaign=campaign, jurisdiction=jurisdiction, status__in=[BinderStatus.PENDING, BinderStatus.RUNNING]
    ).first()
    if running is not None:
        raise BinderAlreadyRunning(
            _("{area} 的台账正在生成（{when} 发起），请等待完成后再生成。").format(
                area=jurisdiction.name, when=f"{timezone.localtime(running.created_at):%Y-%m-%d %H:%M}"
            )
        )
    binder = BinderExport.objects.create(campaign=campaign, jurisdiction=jurisdiction, created_by=actor)
    audit_record(
        actor=actor,
        obj=binder,
        action="campaigns.binder.started",
        data={"campaign": campaign.title, "jurisdiction": jurisdiction.name},
    )
    transaction.on_commit(lambda: _enqueue(binder.pk))
    return binder


def _enqueue(binder_id: int) -> None:
    """Hand the build to the worker; if the broker is down, say so on the binder's page."""
    try:
        jobs.campaign_binder_build.delay(binder_id)
    except Exception:
        if getattr(jobs.campaign_binder_build.app.conf, "task_always_eager", False):
            raise  # in eager mode this is the task's own error, not the broker's
        logger.exception("could not enqueue binder %s", binder_id)
        BinderExport.objects.filter(pk=binder_id).update(
            status=BinderStatus.FAILED,
            finished_at=timezone.now(),
            message=_("后台任务服务不可用，请稍后重试或联系系统管理员。"),
        )
