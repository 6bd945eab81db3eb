"""The one place meetings touch the campaigns app (see pyproject's `ignore_imports`): a meeting
that names a campaign turns each decision into a task of the campaign's task breakdown, through
the campaigns' own service, and a linked decision reads its status from that task."""

from django.db.models import Q

from apps.campaigns.choices import TaskOrigin, TaskStatus
from apps.campaigns.models import Campaign
from apps.campaigns.services.tasks import task_create

from .choices import DecisionStatus

TASK_STATUS_TO_DECISION = {
    TaskStatus.OPEN: DecisionStatus.OPEN,
    TaskStatus.IN_PROGRESS: DecisionStatus.OPEN,
    TaskStatus.DONE: DecisionStatus.DONE,
    TaskStatus.CANCELLED: DecisionStatus.CANCELLED,
}


def decision_status_of_task(task_status: str) -> str:
    return str(TASK_STATUS_TO_DECISION.get(task_status, DecisionStatus.OPEN))


def campaigns_covering(user, jurisdiction):
    """Campaigns `user` sees whose area covers `jurisdiction` (its jurisdiction is it or above it)."""
    qs = Campaign.objects.restrict(user, "view").select_related("jurisdiction")
    if jurisdiction is None:
        return qs
    ancestors = [jurisdiction.path[: i + 1] for i, ch in enumerate(jurisdiction.path) if ch == "/"]
    return qs.filter(jurisdiction__path__in=ancestors)


def campaign_covers(campaign, jurisdiction) -> bool:
    return jurisdiction.path.startswith(campaign.jurisdiction.path)


def campaign_queryset():
    return Campaign.objects.all()


def make_task(*, actor, decision, origin_note: str):
    """The campaign task of a decision: same text, owner and deadline, in the meeting's area."""
    meeting = decision.meeting
    user = decision.owner_user
    return task_create(
        actor=actor,
        campaign=meeting.campaign,
        title=decision.text[:200],
        description=decision.text if len(decision.text) > 200 else "",
        jurisdiction=meeting.jurisdiction,
        unit=decision.owner_unit,
        assignee=user,
        deadline=decision.deadline,
        origin=TaskOrigin.MEETING,
        origin_note=origin_note[:200],
    )


# Decision lookups through the task (figures, filters, carry-forward).
def done_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}task__isnull": True, f"{prefix}status": DecisionStatus.DONE}) | Q(
        **{f"{prefix}task__status": TaskStatus.DONE}
    )


def open_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}task__isnull": True, f"{prefix}status": DecisionStatus.OPEN}) | Q(
        **{f"{prefix}task__status__in": [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]}
    )


def cancelled_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}task__isnull": True, f"{prefix}status": DecisionStatus.CANCELLED}) | Q(
        **{f"{prefix}task__status": TaskStatus.CANCELLED}
    )


def done_on_time_q() -> Q:
    from django.db.models import F

    return Q(task__isnull=True, status=DecisionStatus.DONE, done_at__date__lte=F("deadline")) | Q(
        task__status=TaskStatus.DONE, task__completed_at__date__lte=F("deadline")
    )
