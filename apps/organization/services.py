"""Writes to the organisation. Each service checks role and scope, is atomic, and audits.

`actor=None` means the system itself (management commands such as the demo builder).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update

from .models import GroupMember, Jurisdiction, License, Staff, Unit, WorkGroup, Zone, ZoneAssignment

JURISDICTION_FIELDS = [
    "parent",
    "level",
    "code",
    "name",
    "population",
    "households",
    "area_km2",
    "boundary",
    "center_lat",
    "center_lng",
]
UNIT_FIELDS = [
    "unit_type",
    "name",
    "credit_code",
    "jurisdiction",
    "address",
    "lat",
    "lng",
    "contact_name",
    "contact_phone",
    "status",
]
LICENSE_FIELDS = ["kind", "number", "expires_on"]
STAFF_FIELDS = ["name", "post", "phone", "jurisdiction", "unit", "is_active"]
ZONE_FIELDS = ["name", "kind", "jurisdiction", "boundary", "addresses", "requirements"]
GROUP_FIELDS = ["name", "kind", "jurisdiction", "parent", "duties"]


def _create_in_scope(*, actor, model, fields: dict, audit_fields: list[str]):
    """Role may add `model`, the target jurisdiction is in the actor's subtree; then create and audit."""
    ensure_role_allows(actor, model, "add")
    ensure_jurisdiction_in_scope(actor, fields.get("jurisdiction"))
    action = f"organization.{model._meta.model_name}.created"
    return tracked_create(obj=model(**fields), actor=actor, action=action, fields=audit_fields)


def _update_in_scope(*, actor, obj, changes: dict, expected_version: int | None):
    """The object and (when it moves) its new jurisdiction are in scope; then a versioned, audited update."""
    ensure_in_scope(actor, obj, "change")
    if "jurisdiction" in changes:
        ensure_jurisdiction_in_scope(actor, changes["jurisdiction"])
    action = f"organization.{type(obj)._meta.model_name}.updated"
    return tracked_update(obj=obj, actor=actor, changes=changes, expected_version=expected_version, action=action)


# Jurisdictions -----------------------------------------------------------------


@transaction.atomic
def jurisdiction_create(*, actor, parent: Jurisdiction | None, **fields) -> Jurisdiction:
    """Create a node under `parent` (a root only for administrators) and give it its path."""
    ensure_role_allows(actor, Jurisdiction, "add")
    if parent is None:
        if actor is not None and actor.role != "admin":
            raise DomainError(_("只有系统管理员可以创建顶级辖区。"))
    else:
        ensure_jurisdiction_in_scope(actor, parent)
    node = Jurisdiction(parent=parent, **fields)
    node.full_clean(exclude=["path"])
    node.save()
    node.path = Jurisdiction.child_path(parent.path if parent else "", node.pk)
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        obj=node,
        action="organization.jurisdiction.created",
        data={"after": snapshot(node, JURISDICTION_FIELDS)},
    )
    return node


@transaction.atomic
def jurisdiction_update(
    *, actor, jurisdiction: Jurisdiction, changes: dict, expected_version: int | None
) -> Jurisdiction:
    """Edit a node's attributes. Re-parenting goes through `jurisdiction_move`."""
    changes = {k: v for k, v in changes.items() if k != "parent"}
    return _update_in_scope(actor=actor, obj=jurisdiction, changes=changes, expected_version=expected_version)


@transaction.atomic
def jurisdiction_move(
    *, actor, jurisdiction: Jurisdiction, new_parent: Jurisdiction, expected_version: int | None
) -> Jurisdiction:
    """Move a node and its whole subtree under `new_parent`.

    Locks the node, refuses moving into its own subtree or under a parent of the same
    or a lower level, then rewrites every descendant's path and depth in one UPDATE.
    The actor needs change rights on the node and on the new parent.
    """
    ensure_in_scope(actor, jurisdiction, "change")
    ensure_in_scope(actor, new_parent, "change")
    node = Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
    if expected_version is not None and node.version != expected_version:
        raise ConcurrentEdit()
    if new_parent.path.startswith(node.path):
        raise DomainError(_("不能把辖区移动到它自己或它的下级之下。"))
    if new_parent.level.rank >= node.level.rank:
        raise DomainError(_("新的上级辖区层级必须高于被移动的辖区。"))
    old_parent_name = str(node.parent) if node.parent_id else None
    old_path, new_path = node.path, Jurisdiction.child_path(new_parent.path, node.pk)
    depth_delta = new_parent.depth + 1 - node.depth
    moved = Jurisdiction.objects.filter(path__within=old_path).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
        depth=F("depth") + depth_delta,
    )
    Jurisdiction.objects.filter(pk=node.pk).update(
        parent=new_parent, version=F("version") + 1, updated_at=timezone.now()
    )
    node.refresh_from_db()
    audit_record(
        actor=actor,
        obj=node,
        action="organization.jurisdiction.moved",
        data={"changes": {"parent": [old_parent_name, str(new_parent)]}, "subtree_size": moved},
    )
    return node


# Units -------------------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    return _create_in_scope(actor=actor, model=Unit, fields=fields, audit_fields=UNIT_FIELDS)


@transaction.atomic
def unit_update(*, actor, unit: Unit, changes: dict, expected_version: int | None) -> Unit:
    """Edit a unit; moving it to another jurisdiction needs scope over the target too."""
    return _update_in_scope(actor=actor, obj=unit, changes=changes, expected_version=expected_version)


@transaction.atomic
def license_add(*, actor, unit: Unit, kind: str, number: str, expires_on: date | None) -> License:
    """Add a licence; recorded on the unit's own trail, where people look for it."""
    ensure_in_scope(actor, unit, "change")
    licence = License(unit=unit, kind=kind, number=number, expires_on=expires_on)
    licence.full_clean()
    licence.save()
    audit_record(
        actor=actor,
        obj=unit,
        action="organization.unit.license_added",
        data={"license": snapshot(licence, LICENSE_FIELDS)},
    )
    return licence


@transaction.atomic
def license_remove(*, actor, license: License) -> None:
    ensure_in_scope(actor, license.unit, "change")
    audit_record(
        actor=actor,
        obj=license.unit,
        action="organization.unit.license_removed",
        data={"license": snapshot(license, LICENSE_FIELDS)},
    )
    license.delete()


# Staff and groups ----------------------------------------------------------------


@transaction.atomic
def staff_create(*, actor, **fields) -> Staff:
    return _create_in_scope(actor=actor, model=Staff, fields=fields, audit_fields=STAFF_FIELDS)


@transaction.atomic
def staff_update(*, actor, staff: Staff, changes: dict, expected_version: int | None) -> Staff:
    return _update_in_scope(actor=actor, obj=staff, changes=changes, expected_version=expected_version)


@transaction.atomic
def group_create(*, actor, **fields) -> WorkGroup:
    return _create_in_scope(actor=actor, model=WorkGroup, fields=fields, audit_fields=GROUP_FIELDS)


@transaction.atomic
def group_update(*, actor, group: WorkGroup, changes: dict, expected_version: int | None) -> WorkGroup:
    return _update_in_scope(actor=actor, obj=group, changes=changes, expected_version=expected_version)


@transaction.atomic
def group_member_add(*, actor, group: WorkGroup, staff: Staff, position: str, duty: str = "") -> GroupMember:
    """Add a person to a group; the person must also be inside the actor's scope."""
    ensure_in_scope(actor, group, "change")
    ensure_in_scope(actor, staff, "view")
    if GroupMember.objects.filter(group=group, staff=staff).exists():
        raise DomainError(_("该人员已是本小组成员。"))
    member = GroupMember(group=group, staff=staff, position=position, duty=duty)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        obj=group,
        action="organization.group.member_added",
        data={"member": str(staff), "position": member.get_position_display(), "duty": duty},
    )
    return member


@transaction.atomic
def group_member_remove(*, actor, member: GroupMember) -> None:
    ensure_in_scope(actor, member.group, "change")
    audit_record(
        actor=actor,
        obj=member.group,
        action="organization.group.member_removed",
        data={"member": str(member.staff), "position": member.get_position_display()},
    )
    member.delete()


# Responsibility zones ------------------------------------------------------------


@transaction.atomic
def zone_create(
    *,
    actor,
    covered_jurisdictions=(),
    holder_unit: Unit | None = None,
    holder_staff: Staff | None = None,
    starts_on: date | None = None,
    **fields,
) -> Zone:
    """Create a zone and, when a holder is given, its first assignment."""
    for covered in covered_jurisdictions:
        ensure_jurisdiction_in_scope(actor, covered)
    zone = _create_in_scope(actor=actor, model=Zone, fields=fields, audit_fields=ZONE_FIELDS)
    if covered_jurisdictions:
        zone.covered_jurisdictions.set(covered_jurisdictions)
    if holder_unit or holder_staff:
        zone_reassign(
            actor=actor,
            zone=zone,
            unit=holder_unit,
            staff=holder_staff,
            starts_on=starts_on or timezone.localdate(),
            note="",
            expected_version=None,
        )
        zone.refresh_from_db()
    return zone


@transaction.atomic
def zone_update(*, actor, zone: Zone, changes: dict, expected_version: int | None) -> Zone:
    covered = changes.pop("covered_jurisdictions", None)
    zone = _update_in_scope(actor=actor, obj=zone, changes=changes, expected_version=expected_version)
    if covered is not None:
        before = sorted(str(j) for j in zone.covered_jurisdictions.all())
        for node in covered:
            ensure_jurisdiction_in_scope(actor, node)
        zone.covered_jurisdictions.set(covered)
        after = sorted(str(j) for j in covered)
        if before != after:
            audit_record(
                actor=actor,
                obj=zone,
                action="organization.zone.updated",
                data={"changes": {"covered_jurisdictions": [before, after]}},
            )
    return zone


@transaction.atomic
def zone_reassign(
    *,
    actor,
    zone: Zone,
    unit: Unit | None,
    staff: Staff | None,
    starts_on: date,
    note: str,
    expected_version: int | None,
) -> ZoneAssignment:
    """Hand a zone to a new holder from `starts_on` (the seeds' "微调").

    Locks the zone, ends the current assignment the day before `starts_on`, and opens
    a new one; earlier assignments stay as history.
    """
    ensure_in_scope(actor, zone, "change")
    if not unit and not staff:
        raise DomainError(_("请指定责任单位或责任人。"))
    if unit:
        ensure_in_scope(actor, unit, "view")
    if staff:
        ensure_in_scope(actor, staff, "view")
    locked = Zone.objects.select_for_update().get(pk=zone.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    current = locked.assignments.filter(ends_on__isnull=True).first()
    previous_holder = None
    if current:
        if starts_on <= current.starts_on:
            raise DomainError(_("新的开始日期必须晚于当前分配的开始日期（{date}）。").format(date=current.starts_on))
        previous_holder = str(current.holder)
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    assignment = ZoneAssignment(zone=locked, unit=unit, staff=staff, starts_on=starts_on, note=note)
    assignment.full_clean()
    assignment.save()
    Zone.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
    audit_record(
        actor=actor,
        obj=locked,
        action="organization.zone.reassigned",
        data={
            "changes": {"holder": [previous_holder, str(assignment.holder)]},
            "starts_on": starts_on.isoformat(),
            "note": note,
        },
    )
    return assignment


# Reference lists (levels and unit types) -------------------------------------------


@transaction.atomic
def reference_create(*, actor, model, **fields):
    """Add a jurisdiction level or unit type (administrators only, by the policy table)."""
    ensure_role_allows(actor, model, "add")
    return tracked_create(
        obj=model(**fields), actor=actor, action=f"organization.{model._meta.model_name}.created", fields=list(fields)
    )


@transaction.atomic
def reference_update(*, actor, obj, changes: dict):
    ensure_role_allows(actor, type(obj), "change")
    action = f"organization.{type(obj)._meta.model_name}.updated"
    return tracked_update(obj=obj, actor=actor, changes=changes, expected_version=None, action=action)
