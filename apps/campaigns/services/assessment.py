"""Writes of the self-assessment (自查): one item's result, score and note at a time."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.services import tracked_create, tracked_update

from .. import scoring
from ..models import Campaign, ItemAssessment
from .common import ensure_manages

ASSESSMENT_FIELDS = ["item", "result", "score", "note"]


def campaign_item(campaign: Campaign, item):
    """`item` must belong to the campaign's standard version."""
    if item.version_id != campaign.standard_version_id:
        raise DomainError(_("该小项不属于本项目的对照标准。"))
    return item


@transaction.atomic
def item_assess(
    *,
    actor,
    campaign: Campaign,
    item,
    result: str,
    score: Decimal | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ItemAssessment:
    """Record (or change) the self-assessment of one item.

    Permission: change on itemassessment and the campaign in the actor's own subtree
    (ensure_manages). The score is checked and defaulted by `scoring.resolve_score` (达标: full
    points, 未达标: 0, 基本达标: must be entered). Locks the campaign row, so two first
    assessments of the same item cannot both insert; `expected_version` is the version the form
    was read at (0 when the item had no assessment yet): a stale one raises ConcurrentEdit.
    Audited as campaigns.itemassessment.created (after) or .changed (before/after)."""
    ensure_manages(actor, campaign, ItemAssessment, "change")
    campaign_item(campaign, item)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    score = scoring.resolve_score(scoring.Item(item.pk, item.code, item.kind, item.points), result, score)
    note = (note or "").strip()
    existing = ItemAssessment.objects.filter(campaign=campaign, item=item).first()
    now = timezone.now()
    if existing is None:
        if expected_version:
            raise ConcurrentEdit()
        assessment = ItemAssessment(
            campaign=campaign, item=item, result=result, score=score, note=note, assessed_by=actor, assessed_at=now
        )
        return tracked_create(
            obj=assessment, actor=actor, action="campaigns.itemassessment.created", fields=ASSESSMENT_FIELDS
        )
    if expected_version is not None and existing.version != expected_version:
        raise ConcurrentEdit()
    return tracked_update(
        obj=existing,
        actor=actor,
        changes={"result": result, "score": score, "note": note, "assessed_by": actor, "assessed_at": now},
        expected_version=expected_version,
        action="campaigns.itemassessment.changed",
    )
