"""The activities' record rollup (apps/core/rollups.py) equals the raw totals (totals.py) after a
random sequence of changes, after a rebuild, and after a write that bypassed the signals once
`rollups check --repair` ran."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from apps.activities import rollups, services, totals
from apps.activities.evidence import figure_values
from apps.activities.models import Activity, Participation
from apps.activities.tests.helpers import out
from apps.core import rollups as core_rollups
from apps.core.models import RollupDirty, RollupEntry, RollupTotal

pytestmark = pytest.mark.django_db


def raw(path, start, end) -> dict:
    found = totals.totals_for(totals.held_in(path, start, end))
    return {
        "activities.drives": Decimal(found.drives),
        "activities.person_times": Decimal(found.person_times),
        "activities.volunteer_hours": found.volunteer_hours,
        "activities.output.garbage_t": found.outputs.get("garbage_t") or Decimal(0),
        "activities.output.bins": found.outputs.get("bins") or Decimal(0),
    }


def rolled(path, start, end) -> dict:
    values = figure_values(path, start, end)
    return {key: values[key].value for key in raw(path, start, end)}


def assert_equal_everywhere(org, today):
    nodes = [org.city, org.district, org.street_a, org.street_b, org.comm_a1, org.comm_a2, org.comm_b1]
    periods = [
        (None, None),
        (today - timedelta(days=10), today),
        (today - timedelta(days=3), today - timedelta(days=1)),
    ]
    for node in nodes:
        for start, end in periods:
            assert rolled(node.path, start, end) == raw(node.path, start, end), (node.name, start, end)


def test_random_changes_keep_the_rollup_equal_to_the_raw_totals(org):
    rng = random.Random(20261201)
    today = timezone.localdate()
    areas = [org.comm_a1, org.comm_a2]
    volunteer = services.volunteer_create(actor=org.street, full_name="张三", jurisdiction=org.street_a)
    made = []
    for step in range(40):
        move = rng.choice(["create", "create", "edit", "cancel", "signup", "areas"]) if made else "create"
        if move == "create":
            where = rng.choice([org.comm_a1, org.comm_a2, org.street_a])
            made.append(
                services.activity_create(
                    actor=org.street,
                    kind=rng.choice(["cleanup", "campaign", "equipment"]),
                    title=f"drive {step}",
                    held_on=today - timedelta(days=rng.randint(0, 8)),
                    jurisdiction=where,
                    areas=rng.sample(areas, rng.randint(0, 2)) if where == org.street_a else (),
                    participants={"resident": rng.randint(0, 50)},
                    outputs=[out(rng.choice(["garbage_t", "bins"]), rng.randint(1, 9))],
                )
            )
        else:
            activity = Activity.objects.get(pk=rng.choice(made).pk)
            if activity.status == "cancelled":
                continue
            if move == "edit":
                services.activity_update(
                    actor=org.street,
                    activity=activity,
                    expected_version=activity.version,
                    changes={"held_on": today - timedelta(days=rng.randint(0, 8))},
                    participants={"resident": rng.randint(0, 80), "party_cadre": rng.randint(0, 5)},
                )
            elif move == "cancel":
                services.activity_transition(actor=org.street, activity=activity, name="cancel", reason="重复")
            elif move == "signup" and not activity.signups.exists():
                signup = services.signup_create(actor=org.street, activity=activity, volunteer=volunteer)
                services.signup_record(
                    actor=org.street,
                    signup=signup,
                    attended=True,
                    hours=Decimal(rng.randint(1, 6)),
                    expected_version=None,
                )
            elif move == "areas" and activity.jurisdiction_id == org.street_a.pk:
                activity.areas.set(rng.sample(areas, rng.randint(0, 2)))
        if step % 8 == 7:
            assert_equal_everywhere(org, today)
    assert_equal_everywhere(org, today)
    assert not RollupDirty.objects.exists()  # every change was applied by the reads

    # A rebuild from the raw records gives the same totals.
    before = set(RollupTotal.objects.values_list("node_id", "day", "measure", "value"))
    assert before
    core_rollups.rollup_rebuild(rollups.KEY)
    assert set(RollupTotal.objects.values_list("node_id", "day", "measure", "value")) == before
    assert_equal_everywhere(org, today)
    assert core_rollups.rollup_check(rollups.KEY) == 0


def test_a_street_drive_counts_once_in_the_street_and_once_in_each_area(org):
    today = timezone.localdate()
    services.activity_create(
        actor=org.street,
        kind="campaign",
        title="street drive",
        held_on=today,
        jurisdiction=org.street_a,
        areas=[org.comm_a1, org.comm_a2],
        participants={"unit_staff": 60},
    )
    for node in (org.street_a, org.comm_a1, org.comm_a2, org.district, org.city):
        assert figure_values(node.path, today, today)["activities.person_times"].value == 60
    assert figure_values(org.street_b.path, today, today)["activities.person_times"].value == 0
    # One entry per node and measure, never two for the street.
    assert RollupEntry.objects.filter(node_id=org.street_a.pk, measure="people").count() == 1


def test_a_write_around_the_signals_is_found_by_check_and_repaired(org):
    today = timezone.localdate()
    activity = services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="A1",
        held_on=today,
        jurisdiction=org.comm_a1,
        participants={"resident": 10},
    )
    assert figure_values(org.comm_a1.path, today, today)["activities.person_times"].value == 10
    Participation.objects.filter(activity=activity).update(count=25)  # no signal
    assert figure_values(org.comm_a1.path, today, today)["activities.person_times"].value == 10
    with pytest.raises(CommandError, match="activities"):
        call_command("rollups", "check", "--source", "activities")
    call_command("rollups", "check", "--source", "activities", "--repair")
    assert figure_values(org.comm_a1.path, today, today)["activities.person_times"].value == 25
    assert core_rollups.rollup_check(rollups.KEY) == 0


def test_many_pending_changes_wait_for_the_periodic_refresh(org, monkeypatch):
    today = timezone.localdate()
    monkeypatch.setattr(core_rollups, "INLINE_LIMIT", 1)
    services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="A1",
        held_on=today,
        jurisdiction=org.comm_a1,
        participants={"resident": 10},
    )
    assert RollupDirty.objects.count() > 1
    assert figure_values(org.comm_a1.path, today, today)["activities.person_times"].value == 0
    from apps.core.tasks import core_rollups_refresh

    assert core_rollups_refresh()["activities"] > 0
    assert figure_values(org.comm_a1.path, today, today)["activities.person_times"].value == 10
    assert core_rollups.record_rollup_as_of(rollups.KEY) is not None
