"""Reads of campaigns: the list, one campaign with its plan, and the task summary of its page."""

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..choices import TaskStatus
from ..models import Campaign, CampaignGroup, Task


def campaign_list(*, user, filters: dict | None = None) -> QuerySet[Campaign]:
    """Campaigns the user sees (their subtree's and those above it), filtered (CampaignFilterSet)."""
    from ..filters.campaigns import CampaignFilterSet

    qs = Campaign.objects.restrict(user, "view").select_related("jurisdiction", "standard_version__standard", "parent")
    return CampaignFilterSet.apply(qs, filters, user=user).order_by("-starts_on", "-id")


def campaign_detail(*, user, pk) -> Campaign:
    """One campaign with its phases, groups and children (404 outside the scope: the caller uses
    get_scoped_or_404 with this queryset)."""
    return (
        Campaign.objects.select_related("jurisdiction", "standard_version__standard", "parent", "created_by")
        .prefetch_related(
            "phases",
            Prefetch("groups", queryset=CampaignGroup.objects.select_related("group")),
        )
        .get(pk=pk)
    )


def current_phase(campaign: Campaign, today=None):
    """The phase running today (the last one started), or None before the first."""
    today = today or timezone.localdate()
    current = None
    for phase in campaign.phases.all():
        if phase.starts_on <= today and (phase.ends_on is None or today <= phase.ends_on):
            current = phase
    return current


def open_q() -> Q:
    return Q(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])


def overdue_q(today=None) -> Q:
    """Unfinished with a deadline before today (the task list's `overdue` filter)."""
    return open_q() & Q(deadline__lt=today or timezone.localdate())


def task_summary(*, user, campaigns: list[int], today=None) -> dict:
    """Counts by status, overdue and average progress (cancelled tasks left out of the average)
    of the tasks the user sees in `campaigns`: one query."""
    qs = Task.objects.restrict(user, "view").filter(campaign_id__in=campaigns)
    live = ~Q(status=TaskStatus.CANCELLED)
    row = qs.aggregate(
        total=Count("id", filter=live),
        open=Count("id", filter=Q(status=TaskStatus.OPEN)),
        in_progress=Count("id", filter=Q(status=TaskStatus.IN_PROGRESS)),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        cancelled=Count("id", filter=Q(status=TaskStatus.CANCELLED)),
        overdue=Count("id", filter=overdue_q(today)),
        progress=Avg("progress", filter=live),
    )
    row["progress"] = round(row["progress"] or 0)
    return row


def children_of(*, user, campaign: Campaign) -> QuerySet[Campaign]:
    return campaign.children.restrict(user, "view").select_related("jurisdiction").order_by("jurisdiction__path")
