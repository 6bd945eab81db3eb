"""Writes of the task breakdown (任务分解表)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.permissions import ensure_in_scope, ensure_role_allows
from apps.core.roles import Role
from apps.core.services import tracked_create
from apps.organization.models import WorkGroup
from apps.standards.models import StandardItem

from ..areas import groups_q
from ..choices import PhaseKind, TaskOrigin, TaskStatus
from ..models import Campaign, Task
from ..workflow import NOT_WORKER, TASK_WORKFLOW, manages_area, works_on
from .common import ensure_area, ensure_manages, ensure_sees

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


# The breakdown from the standard, edits, progress and the status steps -------------------------

EDIT_FIELDS = ["title", "description", "evidence_required", "jurisdiction", "group", "unit", "assignee", "deadline"]
ASSIGN_FIELDS = ["jurisdiction", "group", "unit", "assignee", "deadline"]


def default_deadline(campaign: Campaign):
    """The end of the 自查整改 phase (tasks are done in self-check), else the campaign's end."""
    phase = campaign.phases.filter(kind=PhaseKind.SELF_CHECK, ends_on__isnull=False).order_by("sort").first()
    return phase.ends_on if phase else campaign.ends_on


def evidence_text(item) -> str:
    """What a task on `item` must produce: the item's evidence requirements, then its note."""
    lines = [
        _("{name}（至少{count}份）").format(name=r.name, count=r.min_count) if r.min_count > 1 else r.name
        for r in item.requirements.all()
    ]
    if item.evidence_note:
        lines.append(item.evidence_note)
    return "\n".join(lines)


@transaction.atomic
def tasks_generate(*, actor, campaign: Campaign) -> int:
    """任务分解表 in one click: a task for every item of the campaign's standard version that has
    none yet in this campaign (idempotent: a second run adds nothing), in the campaign's own
    jurisdiction, with the item's text, the evidence it needs and the default deadline; no group
    or person yet. Needs the right to manage the campaign and add tasks; locks the campaign row so
    two clicks at once cannot both add the table. Audited per task (campaigns.task.created,
    bulk-inserted) and once on the campaign (campaigns.campaign.tasks_generated, with the
    count). Returns how many tasks were added."""
    ensure_manages(actor, campaign, Task, "add")
    campaign = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
    covered = Task.objects.filter(campaign=campaign, item__isnull=False).values("item_id")
    items = (
        StandardItem.objects.filter(version_id=campaign.standard_version_id)
        .exclude(pk__in=covered)
        .select_related("section")
        .prefetch_related("requirements")
        .order_by("section__sort", "section__code", "sort", "id")
    )
    deadline = default_deadline(campaign)
    creator = actor if getattr(actor, "pk", None) else None
    tasks = [
        Task(
            campaign=campaign,
            item=item,
            jurisdiction=campaign.jurisdiction,
            title=item.text[:200],
            description=item.method,
            evidence_required=evidence_text(item),
            deadline=deadline,
            origin=TaskOrigin.STANDARD,
            created_by=creator,
        )
        for item in items
    ]
    Task.objects.bulk_create(tasks)
    if tasks:
        AuditEvent.objects.bulk_create(_created_events(actor, tasks))
        audit_record(
            actor=actor, obj=campaign, action="campaigns.campaign.tasks_generated", data={"generated": len(tasks)}
        )
    return len(tasks)


def _created_events(actor, tasks: list[Task]) -> list[AuditEvent]:
    """One campaigns.task.created event per bulk-created task (what task_create writes one at a
    time), so every task's history starts with its creation; one insert for the lot."""
    content_type = ContentType.objects.get_for_model(Task)
    person = actor if getattr(actor, "pk", None) else None
    name = (person.get_full_name() or person.username) if person else "system"
    now = timezone.now()
    events = []
    for task in tasks:
        scope = task.audit_scope()
        events.append(
            AuditEvent(
                occurred_at=now,
                actor=person,
                actor_name=name,
                action="campaigns.task.created",
                content_type=content_type,
                object_id=str(task.pk),
                object_repr=str(task)[:255],
                jurisdiction_path=scope.get("jurisdiction_path", ""),
                unit_id=scope.get("unit_id"),
                data={"after": snapshot(task, TASK_FIELDS)},
            )
        )
    return events


def check_assignment(*, actor, task: Task) -> None:
    """Raise DomainError unless the task's area, group, unit and person fit together: the area
    lies in the campaign's jurisdiction (and the actor's subtree); the unit lies in the area; the
    group belongs to the actor's area of the campaign (or below) or to the campaign's own
    jurisdiction; the person works in the area (their jurisdiction lies in it) or is the contact
    of a unit there."""
    ensure_area(actor, task.campaign, task.jurisdiction)
    area = task.jurisdiction.path
    if task.unit is not None and not task.unit.jurisdiction.path.startswith(area):
        raise DomainError(_("责任单位必须在该任务的责任区域之内。"))
    if task.group is not None and not _group_fits(actor, task):
        raise DomainError(_("责任小组必须属于该项目的辖区。"))
    person = task.assignee
    if person is not None:
        if person.role == Role.UNIT_CONTACT:
            fits = person.unit is not None and person.unit.jurisdiction.path.startswith(area)
        else:
            fits = person.jurisdiction is not None and person.jurisdiction.path.startswith(area)
        if not fits or not person.is_active:
            raise DomainError(_("责任人必须是该区域的工作人员或区域内单位的联系人。"))


def _group_fits(actor, task: Task) -> bool:
    """The group is of the actor's area of the campaign (or below) or of the campaign's own jurisdiction."""
    group, campaign = task.group, task.campaign
    if not group.jurisdiction.path.startswith(campaign.jurisdiction.path):
        return False
    if actor is None:
        return True
    return WorkGroup.objects.filter(groups_q(actor, campaign), pk=group.pk).exists()


def _ensure_manages_task(actor, task: Task) -> None:
    ensure_role_allows(actor, Task, "change")
    if actor is not None and not manages_area(task, actor):
        ensure_in_scope(actor, task, "view")  # outside the scope: 404 before 403
        raise PermissionDeniedForRole(_("只有该任务所在区域的管理人员可以修改任务。"))


def _apply(*, actor, task: Task, changes: dict, expected_version, action: str) -> Task:
    """Lock, check versions and the assignment rules, save the changed fields, audit before/after."""
    _ensure_manages_task(actor, task)
    locked = Task.objects.select_for_update(of=("self",)).select_related("campaign__jurisdiction").get(pk=task.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    fields = list(changes)
    before = snapshot(locked, fields)
    for name, value in changes.items():
        if name not in EDIT_FIELDS:
            raise ValueError(name)
        setattr(locked, name, value)
    check_assignment(actor=actor, task=locked)
    locked.full_clean()
    after = snapshot(locked, fields)
    changed = diff(before, after)
    if not changed:
        return locked
    locked.version += 1
    locked.save(update_fields=[*(f for f in fields if f in changed), "version", "updated_at"])
    audit_record(actor=actor, obj=locked, action=action, data={"changes": changed})
    return locked


@transaction.atomic
def task_update(*, actor, task: Task, changes: dict, expected_version: int | None) -> Task:
    """Edit a task (text, area, group, unit, person, deadline): managers of its area only, under a
    row lock with the version check; the new area must lie in the actor's subtree as well.
    Audited as campaigns.task.updated with before/after."""
    return _apply(actor=actor, task=task, changes=changes, expected_version=expected_version, action=UPDATED)


@transaction.atomic
def task_bulk_assign(*, actor, versions: dict[int, int], changes: dict) -> list[Task]:
    """Give many tasks the same area / group / unit / person / deadline at once (批量分配).

    `versions` maps each task id to the version the page showed; all tasks are written or none
    (one transaction: a stale version or a task that refuses the assignment rolls back the lot).
    Only the keys present in `changes` are set. Each task is audited as campaigns.task.assigned."""
    changes = {k: v for k, v in changes.items() if k in ASSIGN_FIELDS}
    if not changes:
        raise DomainError(_("请至少选择一项要分配的内容。"))
    if not versions:
        raise DomainError(_("请先勾选要分配的任务。"))
    tasks = Task.objects.restrict(actor, "change") if actor is not None else Task.objects.all()
    found = {t.pk: t for t in tasks.filter(pk__in=list(versions)).select_related("jurisdiction", "campaign")}
    if len(found) != len(versions):
        raise OutsideJurisdiction()
    return [
        _apply(actor=actor, task=found[pk], changes=changes, expected_version=version, action=ASSIGNED)
        for pk, version in sorted(versions.items())
    ]


@transaction.atomic
def task_progress(*, actor, task: Task, progress: int, expected_version: int | None, note: str = "") -> Task:
    """Record how far a task has come (0–100 %): whoever works on it (`workflow.works_on`). A first
    progress on a task not started starts it (开始办理, audited as that step). Finished tasks keep
    their progress (reopen first). Audited as campaigns.task.progress_updated with before/after."""
    ensure_role_allows(actor, Task, "change")
    if actor is not None:
        ensure_in_scope(actor, task, "view")
        if not works_on(task, actor):
            raise PermissionDeniedForRole(NOT_WORKER)
    if not 0 <= progress <= 100:
        raise DomainError(_("进度必须在 0 到 100 之间。"))
    locked = Task.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=task.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    if locked.is_finished:
        raise DomainError(_("任务已完成或已取消，不能再更新进度。"))
    if locked.progress == progress:
        return locked
    before = locked.progress
    locked.progress = progress
    locked.version += 1
    locked.save(update_fields=["progress", "version", "updated_at"])
    data = {"changes": {"progress": [before, progress]}}
    if note:
        data["note"] = note
    audit_record(actor=actor, obj=locked, action=PROGRESS, data=data)
    if locked.status == TaskStatus.OPEN and progress > 0:
        locked = TASK_WORKFLOW.perform("start", obj=locked, actor=actor)
    return locked


@transaction.atomic
def task_transition(*, actor, task: Task, name: str, expected_version: int | None = None, note: str = "") -> Task:
    """One step of TASK_WORKFLOW (workflow.py says who may take which). 完成任务 needs a note (完成情况)
    and sets progress to 100 and completed_at; 重新打开 clears completed_at."""
    note = (note or "").strip()
    changes = {}
    if name == "complete":
        if not note:
            raise DomainError(_("完成任务必须填写完成情况。"))
        changes = {"progress": 100, "completed_at": timezone.now(), "completion_note": note}
    elif name == "reopen":
        changes = {"completed_at": None}
    return TASK_WORKFLOW.perform(
        name, obj=task, actor=actor, expected_version=expected_version, changes=changes, note=note or None
    )


UPDATED = "campaigns.task.updated"
ASSIGNED = "campaigns.task.assigned"
PROGRESS = "campaigns.task.progress_updated"
