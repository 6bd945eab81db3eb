"""Appeals: the inspected unit contests one deduction; a reviewer upholds or overturns it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.roles import Role
from apps.core.services import tracked_create
from apps.notifications.messages import Message, term
from apps.notifications.services import notify
from apps.photos.services import photos_prepared

from ..choices import AppealStatus, InspectionStatus, ScoreChangeKind
from ..models import (
    Appeal,
    Inspection,
    InspectionResult,
)
from ..workflow import APPEAL_WORKFLOW
from .sheets import change_score, store_photo


@photos_prepared()  # decoded before the transaction opens
@transaction.atomic
def appeal_submit(*, actor, result: InspectionResult, reason: str, photos=()) -> Appeal:
    """申诉: the inspected unit's contact contests one deduction within the appeal window."""
    result = InspectionResult.objects.select_for_update().get(pk=result.pk)
    inspection = Inspection.objects.get(pk=result.inspection_id)
    if actor.role != Role.UNIT_CONTACT or actor.unit_id != inspection.target_unit_id:
        raise PermissionDeniedForRole(_("只有被检查单位可以申诉。"))
    if inspection.status != InspectionStatus.SUBMITTED or result.deduction <= 0:
        raise DomainError(_("只能对已提交检查中的扣分项申诉。"))
    if inspection.appeal_until and timezone.localdate() > inspection.appeal_until:
        raise DomainError(_("申诉期限已过（截止 {until}）。").format(until=inspection.appeal_until))
    if result.appeals.exists():
        raise DomainError(_("该扣分项已申诉过，不能重复申诉。"))
    if not reason.strip():
        raise DomainError(_("请填写申诉理由。"))
    appeal = Appeal(result=result, inspection=inspection, reason=reason.strip(), submitted_by=actor)
    tracked_create(obj=appeal, actor=actor, action="inspections.appeal.created", fields=["result", "reason", "status"])
    for upload in photos:
        store_photo(upload, actor=actor, appeal=appeal)
    reviewers = User.objects.filter(
        is_active=True,
        role__in=[Role.STREET, Role.OFFICE],
        jurisdiction_id__in=inspection.target_jurisdiction.ancestor_ids,
    )
    notify(
        reviewers,
        target=appeal,
        title=Message(gettext_noop("申诉：{target} {item}"), target=inspection.target_label, item=result.item.code),
        kind="appeal",
        message=Message(
            gettext_noop("{target} 对检查扣分项 {item} 提出申诉，请复核。"),
            target=inspection.target_label,
            item=result.item.code,
        ),
        link=appeal.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, overturn: bool, note: str, expected_version: int | None = None) -> Appeal:
    """Uphold or overturn. Overturning removes the deduction (the original stays on record) and re-ranks."""

    def needs_note(_locked: Appeal) -> None:
        if not note.strip():
            raise DomainError(_("请填写复核意见。"))

    locked = APPEAL_WORKFLOW.perform(
        "overturn" if overturn else "uphold",
        obj=appeal,
        actor=actor,
        expected_version=expected_version,
        changes={"reviewer": actor, "decision_note": note.strip(), "decided_at": timezone.now()},
        note=note.strip(),
        guard=needs_note,
    )
    if overturn:
        change_score(
            actor=actor,
            result=locked.result,
            occurrences=0,
            passed=True,
            kind=ScoreChangeKind.APPEAL,
            reason=note.strip(),
            appeal=locked,
        )
    notify(
        [locked.submitted_by],
        target=locked,
        title=Message(
            gettext_noop("申诉：{target} {item}"), target=locked.inspection.target_label, item=locked.result.item.code
        ),
        kind="appeal",
        message=Message(
            gettext_noop("申诉复核结果：{item} {status}。"),
            item=locked.result.item.code,
            status=term(AppealStatus(locked.status).label),
        ),
        link=locked.get_absolute_url(),
    )
    return locked
