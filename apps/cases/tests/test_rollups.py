"""Issue 14: the statistics' rollups equal the raw counts after any sequence of case changes,
after a rebuild, and the reader's figures are the same whichever source it reads."""

import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.cases import rollups, services
from apps.cases.models import Case, CaseRollup, CaseRollupLog
from apps.cases.statistics import COUNT_FIELDS, GROUPINGS, case_statistics, whole_months
from apps.core.exceptions import DomainError
from apps.core.models import RollupState

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def figures(rows):
    return [(r.key, r.label, *(getattr(r, n) for n in COUNT_FIELDS), round(r.close_seconds)) for r in rows]


def assert_same_as_raw(org, start, end):
    for user in (org.admin, org.street, org.community):
        for group_by in GROUPINGS:
            rolled = case_statistics(user=user, start=start, end=end, group_by=group_by)
            raw = case_statistics(user=user, start=start, end=end, group_by=group_by, source="raw")
            assert figures(rolled) == figures(raw), (user.role, group_by)
    assert rollups.rollups_check() == []


NEXT_STEPS = {  # mostly forward, sometimes off the path (a refused step changes nothing)
    "reported": ["register", "register", "reject", "void"],
    "registered": ["dispatch", "dispatch", "void"],
    "dispatched": ["handle", "handle", "void"],
    "returned": ["handle"],
    "handled": ["pass", "pass", "fail"],
}


def random_history(org, cats, rng, steps):
    """Reports and every kind of step, in a random order, some of the cases moved to earlier months."""
    places = [org.grid_a1, org.estate_a1, org.comm_a1, org.comm_a2, org.street_a]
    reporters = {org.grid_a1: org.grid, org.estate_a1: org.community, org.comm_a1: org.community}
    categories = [cats["exposed_garbage"], cats["clutter"], cats["graffiti"]]
    cases = []
    for _step in range(steps):
        roll = rng.random()
        if roll < 0.3 or not cases:
            place = rng.choice(places)
            actor = reporters.get(place, org.street)
            case = services.case_report(
                actor=actor, category=rng.choice(categories), jurisdiction=place, photos=[jpeg()], address="x"
            )
            if rng.random() < 0.4:  # backdated, as the demo retimes its cases
                previous = case.created_at
                moved = previous - timedelta(days=rng.choice([20, 40, 75]))
                Case.objects.filter(pk=case.pk).update(created_at=moved)
                Case.objects.get(pk=case.pk).log_rollup_change(previous_created_at=previous)
            cases.append(case.pk)
            continue
        case = Case.objects.get(pk=rng.choice(cases))
        if case.deadline_at is not None and rng.random() < 0.3:  # time passes: the deadline is behind us
            hours = rng.choice([2, 30, 24 * 20])
            Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(hours=hours))
            case.log_rollup_change()
            continue
        dispatcher = org.street
        step = rng.choice(NEXT_STEPS.get(case.status, ["void"]))
        try:
            if step == "register":
                services.case_register(actor=dispatcher, case=case)
            elif step == "dispatch":
                services.case_dispatch(actor=dispatcher, case=case, unit=org.unit_a1)
            elif step == "handle":
                services.case_handle(actor=org.unit_contact, case=case, note="已整改", photos=[jpeg()])
            elif step in ("pass", "fail"):
                services.case_verify(actor=org.inspector, case=case, passed=step == "pass", note="核查")
            elif step == "reject":
                services.case_reject(actor=dispatcher, case=case, reason="不属实")
            else:
                services.case_void(actor=dispatcher, case=case, reason="重复")
        except (DomainError, PermissionError, Exception) as error:  # a step the case's status refuses
            if not isinstance(error, DomainError) and "Permission" not in type(error).__name__:
                raise
    return cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_the_raw_counts_after_random_changes_and_a_rebuild(org, cats, seed):
    rng = random.Random(seed)
    today = timezone.localdate()
    start = (today - timedelta(days=100)).replace(day=1)
    random_history(org, cats, rng, 60)
    # Time passes for the cases still being handled: their deadlines are days behind us.
    for case in Case.objects.exclude(status="closed").exclude(deadline_at=None):
        Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(days=rng.choice([1, 3, 9])))
        case.log_rollup_change()
    assert CaseRollupLog.objects.exists()
    assert rollups.rollups_refresh() > 0 and not CaseRollupLog.objects.exists()
    assert CaseRollup.objects.filter(dimension="all").exists()
    assert_same_as_raw(org, start, today)
    # Unclosed cases past their deadline are in the rollups' "deadline" rows, and counted as due.
    past = CaseRollup.objects.filter(dimension="deadline", key__lt=today.toordinal())
    assert past.exists()
    totals = case_statistics(user=org.admin, start=start, end=today, group_by="jurisdiction")[-1]
    assert totals.due > totals.closed
    statuses = set(Case.objects.values_list("status", flat=True))
    assert "closed" in statuses and len(statuses) >= 4, statuses
    random_history(org, cats, rng, 20)  # more changes, read through the reader's own catch-up
    assert_same_as_raw(org, start, today)
    # A partial month at either end: the days outside whole months come from the cases.
    assert_same_as_raw(org, start + timedelta(days=9), today - timedelta(days=3))
    CaseRollup.objects.all().delete()  # lost or tampered with: the rebuild restores them
    assert rollups.rollups_check() != []
    call_command("cases_rollups", "rebuild")
    assert_same_as_raw(org, start, today)
    state = RollupState.objects.get(name="cases")
    assert state.rebuilt_at is not None and state.checked_at is not None and state.mismatches == 0


def test_a_stale_rollup_is_reported_by_check(org, cats):
    case = services.case_report(actor=org.grid, category=cats["graffiti"], jurisdiction=org.grid_a1, photos=[jpeg()])
    rollups.rollups_refresh()
    Case.objects.filter(pk=case.pk).update(is_recurrence=True)  # a write past the services
    problems = rollups.rollups_check()
    assert len(problems) == 4  # the four dimensions of its bucket
    with pytest.raises(Exception, match="differences"):
        call_command("cases_rollups", "check")
    call_command("cases_rollups", "check", "--repair")
    assert rollups.rollups_check() == []


def test_whole_months_splits_a_period():
    today = date(2026, 11, 30)
    assert whole_months(date(2026, 3, 1), date(2026, 3, 31), today) == ([date(2026, 3, 1)], [])
    assert whole_months(date(2026, 3, 5), date(2026, 5, 10), today) == (
        [date(2026, 4, 1)],
        [(date(2026, 3, 5), date(2026, 3, 31)), (date(2026, 5, 1), date(2026, 5, 10))],
    )
    assert whole_months(date(2026, 3, 5), date(2026, 3, 20), today) == ([], [(date(2026, 3, 5), date(2026, 3, 20))])
    # This month so far is a whole month: nothing is created after today.
    assert whole_months(date(2026, 11, 1), today, today) == ([date(2026, 11, 1)], [])


def test_the_rollups_refresh_once_at_a_time(org, cats):
    services.case_report(actor=org.grid, category=cats["graffiti"], jurisdiction=org.grid_a1, photos=[jpeg()])
    call_command("cases_rollups", "refresh")
    assert not CaseRollupLog.objects.exists()
    assert RollupState.objects.get(name="cases").refreshed_at is not None
