"""Reads of the activities app, always restricted to what the user may see."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from apps.organization.models import Jurisdiction

from .filters import ActivityFilterSet, VolunteerFilterSet
from .models import Activity, Output, OutputMeasure, SignUp, Volunteer, VolunteerTeam
from .totals import Totals, held_in, measures_shown, totals_for


def activity_list(*, user, filters=None) -> QuerySet[Activity]:
    """Activities in the user's scope, filtered (InvalidFilters when refused), newest first."""
    qs = Activity.objects.restrict(user).select_related("jurisdiction", "organiser_unit")
    qs = ActivityFilterSet.apply(qs, filters, user=user)
    return qs.annotate(people=Sum("participants__count")).order_by("-held_on", "-id")


def activity_rows(*, user, filters=None) -> QuerySet[Activity]:
    """The list with what an export prints (participants, outputs with their measures)."""
    return activity_list(user=user, filters=filters).prefetch_related(
        "participants", Prefetch("outputs", queryset=Output.objects.select_related("measure")), "areas"
    )


def list_totals(*, user, filters=None) -> Totals:
    """The totals bar of the list: the held activities of the list's current filter."""
    qs = Activity.objects.restrict(user)
    qs = ActivityFilterSet.apply(qs, filters, user=user)
    return totals_for(qs.filter(status="held"))


def activity_detail_qs():
    return Activity.objects.select_related("jurisdiction", "organiser_unit", "created_by").prefetch_related(
        "areas", "participants", Prefetch("outputs", queryset=Output.objects.select_related("measure")), "photos"
    )


def jurisdiction_totals(*, user, node: Jurisdiction, start, end) -> list[dict]:
    """Rows of the totals page: the node, then each child in the user's scope, each with its own
    totals by the roll-up rule (a handful of queries per row)."""
    children = list(Jurisdiction.objects.restrict(user).filter(parent=node).order_by("path"))
    rows = []
    for number, place in enumerate([node, *children]):
        base = Activity.objects.restrict(user)
        rows.append(
            {"node": place, "is_parent": number == 0, "totals": totals_for(held_in(place.path, start, end, base))}
        )
    return rows


def totals_columns(rows: list[dict]) -> list[OutputMeasure]:
    return measures_shown([row["totals"] for row in rows])


def volunteer_list(*, user, filters=None) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.restrict(user).select_related("team", "jurisdiction")
    qs = VolunteerFilterSet.apply(qs, filters, user=user)
    served = Q(signups__attended=True, signups__withdrawn_at__isnull=True)
    return qs.annotate(
        hours_total=Sum("signups__hours", filter=served), attended_count=Count("signups", filter=served)
    ).order_by("jurisdiction__path", "id")


def volunteer_signups(*, user, volunteer: Volunteer) -> QuerySet[SignUp]:
    return (
        SignUp.objects.restrict(user)
        .filter(volunteer=volunteer)
        .select_related("activity__jurisdiction")
        .order_by("-activity__held_on", "-id")
    )


def volunteer_hours(volunteer: Volunteer):
    total = volunteer.signups.filter(attended=True, withdrawn_at__isnull=True).aggregate(h=Sum("hours"))["h"]
    return total or 0


def activity_signups(*, user, activity: Activity) -> QuerySet[SignUp]:
    return SignUp.objects.restrict(user).filter(activity=activity).select_related("volunteer__team").order_by("id")


def signup_candidates(*, user, activity: Activity) -> QuerySet[Volunteer]:
    """Active volunteers in scope not yet (actively) signed up to `activity`."""
    taken = SignUp.objects.filter(activity=activity, withdrawn_at__isnull=True).values("volunteer_id")
    return (
        Volunteer.objects.restrict(user)
        .filter(is_active=True)
        .exclude(pk__in=taken)
        .select_related("team")
        .order_by("team__name", "id")
    )


def team_list(*, user) -> QuerySet[VolunteerTeam]:
    return (
        VolunteerTeam.objects.restrict(user)
        .select_related("jurisdiction")
        .annotate(members_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("jurisdiction__path", "name")
    )


def upcoming(*, user, days: int = 14) -> QuerySet[Activity]:
    today = timezone.localdate()
    return (
        Activity.objects.restrict(user)
        .filter(status="planned", held_on__gte=today, held_on__lte=today + timedelta(days=days))
        .select_related("jurisdiction")
        .order_by("held_on", "id")
    )


def measures() -> QuerySet[OutputMeasure]:
    return OutputMeasure.objects.order_by("sort", "id")
