import pytest
from django.core.exceptions import ValidationError

from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.organization import services
from apps.organization.models import Jurisdiction, JurisdictionLevel, Unit, ZoneAssignment

pytestmark = pytest.mark.django_db


def test_paths_are_materialised_and_subtree_is_one_prefix_query(org, django_assert_num_queries):
    ids = [org.city.pk, org.district.pk, org.street_a.pk, org.comm_a1.pk]
    assert org.comm_a1.path == "".join(f"{pk:09d}/" for pk in ids)
    assert org.comm_a1.ancestor_ids == ids
    assert org.comm_a1.depth == 3
    with django_assert_num_queries(1):
        names = set(Jurisdiction.objects.filter(path__startswith=org.street_a.path).values_list("name", flat=True))
    assert names == {"甲街道", "甲一社区", "甲二社区", "幸福小区", "幸福网格"}


def test_move_moves_the_whole_subtree_and_is_audited(org):
    moved = services.jurisdiction_move(
        actor=org.office, jurisdiction=org.comm_a1, new_parent=org.street_b, expected_version=org.comm_a1.version
    )
    assert moved.parent == org.street_b
    grid = Jurisdiction.objects.get(pk=org.grid_a1.pk)
    assert grid.path == org.street_b.path + "".join(
        f"{pk:09d}/" for pk in [org.comm_a1.pk, org.estate_a1.pk, org.grid_a1.pk]
    )
    assert grid.depth == 5
    # The street-A user no longer sees the unit that moved with the community.
    assert not Unit.objects.restrict(org.street).filter(pk=org.unit_a1.pk).exists()
    assert Unit.objects.restrict(org.street_other).filter(pk=org.unit_a1.pk).exists()
    event = AuditEvent.objects.get(action="organization.jurisdiction.moved")
    assert event.data["changes"]["parent"] == ["甲街道", "乙街道"]
    assert event.data["subtree_size"] == 3


def test_move_into_own_subtree_or_same_level_is_refused(org):
    with pytest.raises(DomainError):
        services.jurisdiction_move(
            actor=org.admin, jurisdiction=org.street_a, new_parent=org.comm_a1, expected_version=None
        )
    with pytest.raises(DomainError):
        services.jurisdiction_move(
            actor=org.admin, jurisdiction=org.comm_a1, new_parent=org.comm_b1, expected_version=None
        )


def test_move_outside_scope_is_refused(org):
    with pytest.raises(OutsideJurisdiction):
        services.jurisdiction_move(
            actor=org.street, jurisdiction=org.comm_a1, new_parent=org.street_b, expected_version=None
        )


def test_child_level_must_be_lower_than_parent(org):
    street_level = JurisdictionLevel.objects.get(code="street")
    with pytest.raises(ValidationError):
        services.jurisdiction_create(actor=org.street, parent=org.comm_a1, level=street_level, code="X", name="错")


def test_update_records_before_and_after(org):
    unit = services.unit_update(
        actor=org.community,
        unit=org.unit_a1,
        changes={"contact_phone": "13911112222"},
        expected_version=org.unit_a1.version,
    )
    assert unit.version == 2
    event = AuditEvent.objects.filter(action="organization.unit.updated").get()
    assert event.data == {"changes": {"contact_phone": ["13800000001", "13911112222"]}}
    assert event.actor == org.community
    assert event.jurisdiction_path == org.estate_a1.path


def test_stale_version_is_a_conflict_and_nothing_is_saved(org):
    services.unit_update(actor=org.community, unit=org.unit_a1, changes={"contact_name": "甲"}, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        services.unit_update(actor=org.street, unit=org.unit_a1, changes={"contact_name": "乙"}, expected_version=1)
    assert Unit.objects.get(pk=org.unit_a1.pk).contact_name == "甲"


def test_read_only_roles_cannot_write(org):
    for user in (org.leader, org.grid, org.inspector, org.unit_contact):
        with pytest.raises((PermissionDeniedForRole, OutsideJurisdiction)):
            services.unit_update(actor=user, unit=org.unit_a1, changes={"name": "改"}, expected_version=None)


def test_cannot_create_unit_outside_own_subtree(org):
    with pytest.raises(OutsideJurisdiction):
        services.unit_create(
            actor=org.community, unit_type=org.unit_a1.unit_type, name="越界", jurisdiction=org.comm_b1
        )


def test_unit_coordinates_come_in_pairs(org):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=org.community, unit_type=org.unit_a1.unit_type, name="半坐标", jurisdiction=org.comm_a1, lat="31.1"
        )


def test_zone_reassignment_keeps_history(org):
    from datetime import date

    services.zone_reassign(
        actor=org.community,
        zone=org.zone_a1,
        unit=org.unit_a1b,
        staff=None,
        starts_on=date(2026, 6, 1),
        note="微调",
        expected_version=None,
    )
    history = list(ZoneAssignment.objects.filter(zone=org.zone_a1).order_by("starts_on"))
    assert [(a.unit.name, a.starts_on, a.ends_on) for a in history] == [
        ("幸福物业", date(2026, 1, 1), date(2026, 5, 31)),
        ("甲一面馆", date(2026, 6, 1), None),
    ]
    org.zone_a1.refresh_from_db()
    assert org.zone_a1.current_holder == org.unit_a1b
    event = AuditEvent.objects.filter(action="organization.zone.reassigned", object_id=str(org.zone_a1.pk)).latest("id")
    assert event.data["changes"]["holder"] == ["幸福物业", "甲一面馆"]


def test_reassignment_must_start_after_current(org):
    from datetime import date

    with pytest.raises(DomainError):
        services.zone_reassign(
            actor=org.community,
            zone=org.zone_a1,
            unit=org.unit_a1b,
            staff=None,
            starts_on=date(2025, 12, 1),
            note="",
            expected_version=None,
        )


def test_group_member_must_be_in_scope(org):
    with pytest.raises(OutsideJurisdiction):
        services.group_member_add(actor=org.community, group=org.group_a1, staff=org.staff_b1, position="member")
    member = services.group_member_add(
        actor=org.community, group=org.group_a1, staff=org.staff_a1, position="leader", duty="全面负责"
    )
    assert member.get_position_display() == "组长"
    with pytest.raises(DomainError):
        services.group_member_add(actor=org.community, group=org.group_a1, staff=org.staff_a1, position="member")


def test_within_matches_exactly_the_subtree_on_every_database(org):
    # Sibling ids sharing a prefix ("1/2/3/" vs "1/2/30/") must not leak into each other.
    level = JurisdictionLevel.objects.get(code="community")
    extra = [
        services.jurisdiction_create(actor=None, parent=org.street_a, level=level, code=f"Z{i}", name=f"Z{i}")
        for i in range(12)
    ]
    for node in [org.street_a, org.comm_a1, *extra]:
        expected = {j.pk for j in Jurisdiction.objects.all() if j.path.startswith(node.path)}
        assert set(Jurisdiction.objects.filter(path__within=node.path).values_list("pk", flat=True)) == expected
    assert set(Unit.objects.filter(jurisdiction__path__within=org.comm_a1.path).values_list("name", flat=True)) == {
        "幸福物业",
        "甲一面馆",
    }
