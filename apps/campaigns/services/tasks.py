"""Writes of the task breakdown (任务分解表)."""

from django.db import transaction

from apps.core.services import tracked_create

from ..choices import TaskOrigin
from ..models import Campaign, Task
from .common import ensure_area, ensure_sees

TASK_FIELDS = [
    "campaign",
    "item",
    "jurisdiction",
    "title",
    "description",
    "evidence_required",
    "group",
    "unit",
    "assignee",
    "deadline",
    "origin",
    "origin_note",
]


@transaction.atomic
def task_create(
    *,
    actor,
    campaign: Campaign,
    title: str,
    jurisdiction=None,
    item=None,
    description: str = "",
    evidence_required: str = "",
    group=None,
    unit=None,
    assignee=None,
    deadline=None,
    origin: str = TaskOrigin.MANUAL,
    origin_note: str = "",
) -> Task:
    """Add one task to a campaign's breakdown (by hand, from a meeting decision, a gap or a mock
    assessment). The area defaults to the campaign's jurisdiction and must lie inside it and inside
    the actor's subtree (a community adds the tasks of its own area to the district's campaign).
    Audited as campaigns.task.created."""
    ensure_sees(actor, campaign, Task, "add")
    jurisdiction = jurisdiction or campaign.jurisdiction
    ensure_area(actor, campaign, jurisdiction)
    task = Task(
        campaign=campaign,
        item=item,
        jurisdiction=jurisdiction,
        title=title,
        description=description,
        evidence_required=evidence_required,
        group=group,
        unit=unit,
        assignee=assignee,
        deadline=deadline,
        origin=origin,
        origin_note=origin_note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return tracked_create(obj=task, actor=actor, action="campaigns.task.created", fields=TASK_FIELDS)
