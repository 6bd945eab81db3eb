"""Home-page panels of the case loop, one per kind of work.

Each panel reads only the cases the user may see (`Case.objects.restrict`), so every link it
shows opens; counts use the same conditions as the case list's filters
(`selectors.case_list`), so a figure and the list behind it agree. Each panel costs one or
two aggregated queries, whatever the number of cases.
"""

from datetime import timedelta

from django.db.models import Case as Switch
from django.db.models import Count, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from apps.core.roles import Role

from . import statistics
from .choices import CaseStatus
from .models import Case, CaseEvent
from .workflow import REPORTERS

LATEST = 10  # rows a list panel shows; the full list is one click away
SHORT = 5
SENT_BACK_DAYS = 30  # a rejected report stays "sent back" for a month


def _list_url(**filters) -> str:
    from urllib.parse import urlencode

    return reverse("cases:case_list") + ("?" + urlencode(filters) if filters else "")


def _overdue_q(now) -> Q:
    """The case list's `status=overdue` filter (selectors.case_list)."""
    return Q(status=CaseStatus.DISPATCHED, deadline_at__lt=now)


def _end_of_today(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _can_list(user) -> bool:
    return user.can("cases.case", "view")


# Grid worker --------------------------------------------------------------------------------


def report_button(request) -> dict | None:
    """The large 上报 button: a grid worker's main job, first on the page."""
    if request.user.role not in REPORTERS:
        return None
    return {"url": reverse("cases:case_report")}


def my_reports(request) -> dict | None:
    """The latest reports I made, with their status (one query)."""
    user = request.user
    if not _can_list(user):
        return None
    rows = list(
        Case.objects.restrict(user)
        .filter(reporter=user)
        .select_related("category")
        .only("id", "code", "status", "address", "created_at", "category__name")
        .order_by("-created_at", "-id")[:LATEST]
    )
    return {"rows": rows}


def sent_back(request) -> dict | None:
    """What came back to me: my reports not registered (不予立案/作废, not merged) in the last
    month, with the reason given; and the cases assigned to my staff record that failed
    verification (返工) or are due by tonight. One query plus one for the reasons."""
    user = request.user
    if not _can_list(user):
        return None
    now = timezone.now()
    refused = Q(
        reporter=user,
        status__in=[CaseStatus.REJECTED, CaseStatus.VOIDED],
        merged_into__isnull=True,
        updated_at__gte=now - timedelta(days=SENT_BACK_DAYS),
    )
    mine_to_fix = Q(assignee_staff__account=user, status=CaseStatus.DISPATCHED) & (
        Q(rework_count__gt=0) | Q(deadline_at__lt=_end_of_today(now))
    )
    reasons = CaseEvent.objects.filter(action__in=["reject", "void"]).order_by("-created_at", "-id")
    rows = list(
        Case.objects.restrict(user)
        .filter(refused | mine_to_fix)
        .select_related("category")
        .prefetch_related(Prefetch("events", queryset=reasons, to_attr="refusals"))
        .order_by("-updated_at", "-id")[:LATEST]
    )
    for case in rows:
        case.refusal = case.refusals[0].note if case.refusals else ""
        case.state = case.deadline_state(now)
    return {"rows": rows, "now": now}


# Community ------------------------------------------------------------------------------------

QUEUE = (
    # key, case-list status filter; the labels are in the template
    ("reported", CaseStatus.REPORTED),
    ("registered", CaseStatus.REGISTERED),
    ("returned", CaseStatus.RETURNED),
    ("overdue", "overdue"),
    ("handled", CaseStatus.HANDLED),
)


def queue(request) -> dict | None:
    """The community's queue: 待立案, 待派遣, 已回退, 超期, 待核查, each linking to the list behind it."""
    user = request.user
    if not _can_list(user):
        return None
    now = timezone.now()
    counts = Case.objects.restrict(user).aggregate(
        reported=Count("id", filter=Q(status=CaseStatus.REPORTED)),
        registered=Count("id", filter=Q(status=CaseStatus.REGISTERED)),
        returned=Count("id", filter=Q(status=CaseStatus.RETURNED)),
        overdue=Count("id", filter=_overdue_q(now)),
        handled=Count("id", filter=Q(status=CaseStatus.HANDLED)),
    )
    tiles = [{"key": key, "n": counts[key], "url": _list_url(status=str(status))} for key, status in QUEUE]
    return {"tiles": tiles}


def briefing(request) -> dict | None:
    """A few numbers of today's 晨会 page (the same conditions), with the link to it."""
    user = request.user
    if not _can_list(user):
        return None
    now = timezone.now()
    tonight = _end_of_today(now)
    today_start = tonight - timedelta(days=1)
    counts = Case.objects.restrict(user).aggregate(
        yesterday=Count("id", filter=Q(created_at__gte=today_start - timedelta(days=1), created_at__lt=today_start)),
        due_today=Count("id", filter=Q(status=CaseStatus.DISPATCHED, deadline_at__gte=now, deadline_at__lt=tonight)),
        recurrences=Count("id", filter=Q(is_recurrence=True, created_at__gte=today_start - timedelta(days=7))),
    )
    return {"counts": counts, "today": timezone.localdate(now), "url": reverse("cases:briefing")}


# Unit contact ---------------------------------------------------------------------------------

UNIT_OPEN = [CaseStatus.DISPATCHED, CaseStatus.RETURNED, CaseStatus.HANDLED, CaseStatus.SUSPENDED]


def unit_open(request) -> dict | None:
    """The unit's open cases, those still to fix first by deadline, with the time left.

    Nothing about who reported the case is read or shown (the unit never learns it)."""
    user = request.user
    if user.role != Role.UNIT_CONTACT or not user.unit_id or not _can_list(user):
        return None
    now = timezone.now()
    scope = Case.objects.restrict(user).filter(status__in=UNIT_OPEN)
    to_fix_first = Switch(
        When(status=CaseStatus.DISPATCHED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = list(
        scope.select_related("category")
        .only(
            "id",
            "code",
            "status",
            "address",
            "deadline_at",
            "clock_started_at",
            "dispatched_at",
            "created_at",
            "rework_count",
            "category__name",
        )
        .annotate(to_fix_first=to_fix_first)
        .order_by("to_fix_first", "deadline_at", "id")[:LATEST]
    )
    for case in rows:
        case.state = case.deadline_state(now)
    total = len(rows) if len(rows) < LATEST else scope.count()
    return {"rows": rows, "total": total, "now": now, "all_url": _list_url(status="open")}


# Inspector --------------------------------------------------------------------------------------


def to_verify(request) -> dict | None:
    """Cases handled and awaiting 核查 in my area, oldest first."""
    user = request.user
    if not _can_list(user):
        return None
    scope = Case.objects.restrict(user).filter(status=CaseStatus.HANDLED)
    rows = list(scope.select_related("category").order_by("handled_at", "id")[:SHORT])
    total = len(rows) if len(rows) < SHORT else scope.count()
    return {"rows": rows, "total": total, "all_url": _list_url(status=CaseStatus.HANDLED.value)}


# Street, office, leader -------------------------------------------------------------------------


def kpis(request) -> dict | None:
    """This month's 按期结案率 and 返工率 (the statistics page's own figures, `case_statistics`)
    and the cases overdue now, each linking to the page behind it. Two queries."""
    user = request.user
    if not _can_list(user):
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    start = today.replace(day=1)
    totals = statistics.case_statistics(user=user, start=start, end=today, group_by="month", now=now)[-1]
    overdue = Case.objects.restrict(user).filter(_overdue_q(now)).count()
    return {
        "start": start,
        "today": today,
        "totals": totals,
        "overdue": overdue,
        "statistics_url": reverse("cases:statistics"),
        "overdue_url": _list_url(status="overdue"),
    }
