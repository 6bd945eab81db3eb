from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.activities import services
from apps.activities.models import Output, Participation
from apps.activities.tests.helpers import jpeg, out
from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _drive(org, **kw):
    data = dict(
        actor=org.community,
        kind="cleanup",
        title="drive",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        participants={"resident": 10},
        outputs=[out("garbage_t", 1)],
    )
    data.update(kw)
    return services.activity_create(**data)


def test_create_held_with_photo_is_audited(org):
    activity = _drive(org, photos=[jpeg()])
    assert activity.status == "held" and activity.photos.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_id=str(activity.pk), action__startswith="activities.").values_list(
            "action", flat=True
        )
    )
    assert set(actions) == {"activities.activity.created", "activities.activity.hold"}


def test_future_date_only_planned_and_hold_waits(org):
    later = timezone.localdate() + timedelta(days=2)
    with pytest.raises(DomainError):
        _drive(org, held_on=later)
    planned = _drive(org, held_on=later, held=False)
    with pytest.raises(PermissionDeniedForRole):
        services.activity_transition(actor=org.community, activity=planned, name="hold")


def test_negative_and_outside_refused(org):
    with pytest.raises(DomainError):
        _drive(org, outputs=[out("garbage_t", -1)])
    with pytest.raises(DomainError):
        _drive(org, participants={"resident": -3})
    with pytest.raises(OutsideJurisdiction):
        _drive(org, jurisdiction=org.comm_b1)
    with pytest.raises(DomainError):  # an area outside the owner's subtree
        _drive(org, areas=[org.comm_a2])
    with pytest.raises(PermissionDeniedForRole):
        _drive(org, actor=org.leader)


def test_correction_is_versioned_audited_and_deletes_nothing(org):
    activity = _drive(org)
    line = activity.outputs.get()
    services.activity_update(
        actor=org.community,
        activity=activity,
        expected_version=activity.version,
        changes={"place": "幸福小区"},
        participants={"resident": 12, "student": 3},
        outputs=[{"id": line.pk, "measure": line.measure, "quantity": Decimal(0)}, out("dead_spots", 4)],
    )
    assert Output.objects.filter(pk=line.pk, quantity=0).exists()  # cleared, kept
    assert Participation.objects.filter(activity=activity).count() == 2
    event = AuditEvent.objects.filter(action="activities.activity.updated").get()
    assert event.data["changes"]["participants"] == [["居民 10"], ["居民 12", "学生 3"]]
    assert any("卫生死角" in line for line in event.data["changes"]["outputs"][1])
    with pytest.raises(ConcurrentEdit):
        services.activity_update(actor=org.community, activity=activity, expected_version=1, changes={"place": "x"})


def test_street_drive_is_read_not_changed_by_community(org):
    street = _drive(org, actor=org.street, jurisdiction=org.street_a, areas=[org.comm_a1])
    with pytest.raises(PermissionDeniedForRole):
        services.activity_update(actor=org.community, activity=street, expected_version=None, changes={"place": "x"})
    with pytest.raises(PermissionDeniedForRole):
        services.activity_transition(actor=org.community, activity=street, name="cancel", reason="x")


def test_cancel_needs_reason_and_freezes(org):
    activity = _drive(org)
    with pytest.raises(DomainError):
        services.activity_transition(actor=org.community, activity=activity, name="cancel")
    activity = services.activity_transition(actor=org.community, activity=activity, name="cancel", reason="重复")
    assert activity.status == "cancelled" and activity.cancel_reason == "重复"
    with pytest.raises(DomainError):
        services.activity_update(actor=org.community, activity=activity, expected_version=None, changes={})


def test_signups_hours_and_volunteer_count(org):
    activity = _drive(org, participants={"resident": 10, "volunteer": 0})
    team = services.team_create(actor=org.community, name="队", jurisdiction=org.comm_a1)
    a = services.volunteer_create(
        actor=org.community, full_name="张三丰", phone="13912345678", jurisdiction=org.comm_a1, team=team
    )
    b = services.volunteer_create(actor=org.community, full_name="李四", jurisdiction=org.comm_a1)
    sa = services.signup_create(actor=org.community, activity=activity, volunteer=a)
    sb = services.signup_create(actor=org.community, activity=activity, volunteer=b)
    with pytest.raises(DomainError):
        services.signup_create(actor=org.community, activity=activity, volunteer=a)
    with pytest.raises(Exception):  # noqa: B017 - over the 24-hour cap
        services.signup_record(actor=org.community, signup=sa, attended=True, hours=25, expected_version=None)
    services.signup_record(actor=org.community, signup=sa, attended=True, hours=Decimal("3.5"), expected_version=None)
    with pytest.raises(DomainError):
        services.signup_record(actor=org.community, signup=sb, attended=False, hours=2, expected_version=None)
    services.signup_withdraw(actor=org.community, signup=sb, expected_version=None)
    activity.refresh_from_db()
    services.activity_volunteers_from_attendance(
        actor=org.community, activity=activity, expected_version=activity.version
    )
    assert activity.participants.get(kind="volunteer").count == 1
    from apps.activities.selectors import volunteer_hours

    assert volunteer_hours(a) == Decimal("3.5")
    # the audit trail never holds the phone in full
    assert "13912345678" not in str(list(AuditEvent.objects.values_list("object_repr", flat=True)))


def test_the_demo_puts_back_measures_a_flushed_database_lost(org):
    """Browser tests flush the database between runs (and so does `manage.py flush`): the
    built-in measures of migration 0002 are gone, and the demo must not fail on them."""
    from apps.activities import demo
    from apps.activities.models import OutputMeasure

    OutputMeasure.objects.all().delete()

    class Demo:
        seed, case_count, today = 1, 12, timezone.localdate()
        street, communities = org.street_a, [org.comm_a1, org.comm_a2]

    demo.build(Demo())
    assert OutputMeasure.objects.filter(code="dead_spots", is_builtin=True).exists()
