"""The background job that builds a binder, with the progress its page polls, and the sweep that
fails builds a crashed worker left behind."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.periodic import beat_singleton

from ..choices import BinderStatus
from ..models import BinderExport
from .build import binder_links, build_binder

logger = logging.getLogger(__name__)


def _progress(binder_id: int, **fields) -> None:
    """Progress is written outside any transaction so the polling page sees it at once."""
    BinderExport.objects.filter(pk=binder_id).update(**fields)


def binder_file_name(binder: BinderExport) -> str:
    """台账-<campaign>-<area>-<date>.zip, the name the download offers."""
    from . import names

    day = timezone.localtime(binder.finished_at or binder.created_at)
    with translation.override(settings.LANGUAGE_CODE):  # the binder's working language (build_binder)
        stem = _("台账-{campaign}-{area}-{day}").format(
            campaign=binder.campaign.title, area=binder.jurisdiction.name, day=f"{day:%Y%m%d}"
        )
    return names.file_name(stem, ".zip", limit=120)


def binder_build_run(binder_id: int) -> None:
    # Claim the job: only the worker whose conditional UPDATE moves it from PENDING builds it (a
    # redelivered or duplicated message finds 0 rows and stops).
    claimed = BinderExport.objects.filter(pk=binder_id, status=BinderStatus.PENDING).update(
        status=BinderStatus.RUNNING, started_at=timezone.now(), processed=0
    )
    if not claimed:
        return  # already taken by another worker
    binder = BinderExport.objects.select_related("campaign", "jurisdiction", "created_by").get(pk=binder_id)
    total = binder_links(binder).count()
    binder.total = total
    _progress(binder_id, total=total)
    handle, path = tempfile.mkstemp(prefix="binder-", suffix=".zip")
    os.close(handle)
    try:
        result = build_binder(binder, path, progress=lambda n: _progress(binder_id, processed=n))
        with open(path, "rb") as stream:
            binder.file.save(binder_file_name(binder), File(stream), save=False)
        size = os.path.getsize(path)
    except SoftTimeLimitExceeded:
        logger.warning("binder %s stopped at its time limit", binder_id)
        message = _("生成台账超过时间限制（{s} 秒），已停止。请缩小范围（如按社区）后重试。").format(
            s=settings.DATA_JOB_SOFT_TIME_LIMIT
        )
        _fail(binder, message)
        return
    except Exception:
        logger.exception("binder %s failed", binder_id)
        _fail(binder, _("生成台账时发生内部错误，请稍后重试或联系系统管理员。"))
        raise
    finally:
        if os.path.exists(path):
            os.remove(path)
    message = _("已打包 {pieces} 份资料、{files} 个文件。").format(pieces=result.pieces, files=result.files)
    if result.problems:
        message += _("{n} 个文件无法读取，已在目录中注明。").format(n=len(result.problems))
    _progress(
        binder_id,
        status=BinderStatus.SUCCEEDED,
        file=binder.file.name,
        size=size,
        file_count=result.files,
        processed=result.pieces,
        finished_at=timezone.now(),
        message=message[:255],
    )
    audit_record(
        actor=binder.created_by,
        obj=binder,
        action="campaigns.binder.succeeded",
        data={"total": result.pieces, "file_count": result.files, "size": size},  # BinderExport's own fields
    )


def _fail(binder: BinderExport, message: str) -> None:
    _progress(binder.pk, status=BinderStatus.FAILED, finished_at=timezone.now(), message=message[:255])
    audit_record(actor=binder.created_by, obj=binder, action="campaigns.binder.failed", data={"message": message})


def binders_fail_stale(*, older_than: timedelta = timedelta(hours=2), **narrow) -> int:
    """Mark builds a crashed worker left pending or running as failed, so no page polls forever
    and a new build of the same area is not refused: any build older than `older_than`, and one
    running for longer than the hard time limit (its worker process was killed). `narrow`
    filters the builds looked at (one campaign and area when a new build is asked for)."""
    now = timezone.now()
    killed_before = now - timedelta(seconds=settings.DATA_JOB_TIME_LIMIT + 60)
    stale = Q(status__in=[BinderStatus.PENDING, BinderStatus.RUNNING], created_at__lt=now - older_than) | Q(
        status=BinderStatus.RUNNING, started_at__lt=killed_before
    )
    return BinderExport.objects.filter(stale, **narrow).update(
        status=BinderStatus.FAILED, finished_at=now, message=_("生成任务超时未完成，请重新生成。")
    )


# A binder may take minutes: the import jobs' limits (a soft one the job turns into a failed
# binder with a message, then the hard one that kills the worker process).
@shared_task(
    name="apps.campaigns.tasks.campaign_binder_build",
    soft_time_limit=settings.DATA_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DATA_JOB_TIME_LIMIT,
)
def campaign_binder_build(binder_id: int) -> None:
    binder_build_run(binder_id)


@shared_task(name="apps.campaigns.tasks.campaign_binders_fail_stale")
@beat_singleton
def campaign_binders_fail_stale() -> int:
    return binders_fail_stale()
