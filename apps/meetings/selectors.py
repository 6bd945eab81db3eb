"""Reads of meetings: the lists, one meeting with everything its page shows, the previous
meeting whose decisions it reviews, attendance, and the home panels' rows."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core.querysets import user_scope_path
from apps.core.roles import Role

from . import campaign_link
from .choices import MeetingStatus
from .filters import DecisionFilterSet, MeetingFilterSet, midnight
from .models import Attendee, Decision, Meeting

DECISION_RELATED = ("meeting__jurisdiction", "owner_user", "owner_unit", "owner_jurisdiction", "task")


def invitable_people(user, jurisdiction=None) -> QuerySet[User]:
    """Who `user` may invite or name as recorder: the accounts of their subtree (unit contacts
    by their unit's place), plus the cadres of the levels above the meeting's jurisdiction (a
    street leader at a community's 例会). Admins: everyone."""
    qs = User.objects.filter(is_active=True)
    if user.role == Role.ADMIN:
        return qs.order_by("role", "username")
    path = user_scope_path(user) or "-"
    q = Q(role=Role.UNIT_CONTACT, unit__jurisdiction__path__startswith=path) | (
        ~Q(role=Role.UNIT_CONTACT) & Q(jurisdiction__path__startswith=path)
    )
    if jurisdiction is not None:
        q |= ~Q(role=Role.UNIT_CONTACT) & Q(jurisdiction_id__in=jurisdiction.ancestor_ids)
    return qs.filter(q).order_by("role", "username")


def people_in_area(path: str) -> QuerySet[User]:
    """Who may own a decision of a meeting held at `path`: accounts of that subtree only (unit
    contacts by their unit's place)."""
    return User.objects.filter(
        Q(is_active=True)
        & (
            Q(role=Role.UNIT_CONTACT, unit__jurisdiction__path__startswith=path)
            | (~Q(role=Role.UNIT_CONTACT) & Q(jurisdiction__path__startswith=path))
        )
    ).order_by("role", "username")


def meeting_list(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    qs = (
        Meeting.objects.restrict(user, "view")
        .select_related("jurisdiction", "campaign", "recorder")
        .annotate(
            invited_count=Count("attendees", filter=Q(attendees__invited=True), distinct=True),
            signed_count=Count(
                "attendees", filter=Q(attendees__invited=True, attendees__signed_at__isnull=False), distinct=True
            ),
            decision_count=Count("decisions", distinct=True),
        )
    )
    return MeetingFilterSet.apply(qs, filters, user=user).order_by("-starts_at", "-id")


def decision_list(*, user, filters: dict | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.restrict(user, "view").select_related(*DECISION_RELATED, "meeting__campaign")
    return DecisionFilterSet.apply(qs, filters, user=user).order_by("-meeting__starts_at", "number", "id")


def attendance(meeting: Meeting) -> dict:
    """签到 counts of one meeting: invited, signed, rate (None with nobody invited; ≤ 100)."""
    row = meeting.attendees.filter(invited=True).aggregate(
        invited=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False))
    )
    return {**row, "rate": rate(row["signed"], row["invited"])}


def rate(numerator: int, denominator: int):
    """A percentage to one decimal, None when the denominator is 0; never above 100."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return min(value, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _meetings(user) -> QuerySet[Meeting]:
    """The meetings `user` may read; `user=None` only for the campaign binder, which packs the
    full record of the meetings its owner chose."""
    return Meeting.objects.all() if user is None else Meeting.objects.restrict(user, "view")


def _decisions(user) -> QuerySet[Decision]:
    return Decision.objects.all() if user is None else Decision.objects.restrict(user, "view")


def _last_held(meeting: Meeting) -> Meeting | None:
    if meeting.previous_id:
        return Meeting.objects.filter(pk=meeting.previous_id).first()
    return (
        Meeting.objects.filter(
            jurisdiction_id=meeting.jurisdiction_id,
            status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
            starts_at__lt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-id")
        .first()
    )


def previous_meeting(meeting: Meeting, *, user) -> Meeting | None:
    """The meeting whose decisions this one reviews (上次会议): the previous one of its series,
    else the last meeting held before it in the same jurisdiction. None when `user` may not
    read it (its title is not shown either)."""
    last = _last_held(meeting)
    if last is None or not _meetings(user).filter(pk=last.pk).exists():
        return None
    return last


def review_decisions(meeting: Meeting, *, user) -> tuple[Meeting | None, list[Decision]]:
    """上次会议议定事项落实情况: every decision of the previous meeting, then the decisions of
    earlier meetings of the same jurisdiction still open (carried forward until done); only
    those `user` may read (a unit contact invited to this meeting alone does not read the
    jurisdiction's earlier decisions). The meeting is None when `user` may not read it."""
    last = _last_held(meeting)
    if last is None:
        return None, []
    earlier_open = (
        Q(
            meeting__jurisdiction_id=meeting.jurisdiction_id,
            meeting__starts_at__lt=last.starts_at,
            meeting__status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
        )
        & campaign_link.open_q()
    )
    rows = list(
        _decisions(user)
        .filter(Q(meeting=last) | earlier_open)
        .select_related(*DECISION_RELATED)
        .order_by("-meeting__starts_at", "number")
    )
    return previous_meeting(meeting, user=user), rows


def next_meetings(meeting: Meeting, *, user) -> list[Meeting]:
    """The meetings that follow this one in its series, those `user` may read."""
    return list(_meetings(user).filter(previous_id=meeting.pk))


def meeting_detail(pk) -> Meeting:
    return Meeting.objects.select_related("jurisdiction", "campaign", "recorder", "previous", "created_by").get(pk=pk)


def attendee_rows(meeting: Meeting) -> list[Attendee]:
    return list(meeting.attendees.filter(invited=True).select_related("user", "signed_by").order_by("signed_at", "id"))


def decisions_of(meeting: Meeting) -> list[Decision]:
    return list(meeting.decisions.select_related(*DECISION_RELATED).order_by("number", "id"))


# Home panels ------------------------------------------------------------------------------


def my_meetings_today(*, user) -> list[Attendee]:
    """Meetings of today and the next days I am invited to, with my sign-in (one query)."""
    today = timezone.localdate()
    return list(
        Attendee.objects.filter(
            user_id=user.pk,
            invited=True,
            meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
            meeting__starts_at__gte=midnight(today),
            meeting__starts_at__lt=midnight(today + timedelta(days=3)),
        )
        .select_related("meeting", "meeting__jurisdiction")
        .order_by("meeting__starts_at")[:10]
    )


def decisions_due(*, user, days: int = 7) -> QuerySet[Decision]:
    """Open decisions in my scope due within `days` or overdue, soonest first (grid workers and
    unit contacts: only those they or their unit own)."""
    limit = timezone.localdate() + timedelta(days=days)
    qs = Decision.objects.restrict(user, "view").filter(
        campaign_link.open_q(), deadline__isnull=False, deadline__lte=limit
    )
    if user.role in (Role.GRID, Role.UNIT_CONTACT):  # field roles: only what they answer for
        mine = Q(owner_user_id=user.pk)
        if user.unit_id:
            mine |= Q(owner_unit_id=user.unit_id)
        qs = qs.filter(mine)
    return qs.select_related(*DECISION_RELATED).order_by("deadline", "id")
