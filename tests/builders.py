"""A small but complete organisation for tests, built through the real services.

Two streets under one district: street A has communities A1 and A2, street B has B1.
Each role has a user; `other` users sit in a sibling jurisdiction for 404 checks.
"""

from datetime import date
from types import SimpleNamespace

from apps.accounts.models import User
from apps.core.roles import Role
from apps.organization import services
from apps.organization.defaults import ensure_defaults
from apps.organization.models import JurisdictionLevel, UnitType

PASSWORD = "Test-pass-2026"


def make_user(username, role, jurisdiction=None, unit=None) -> User:
    user = User(username=username, role=role, jurisdiction=jurisdiction, unit=unit, last_name=username)
    if unit is not None:
        user.jurisdiction = unit.jurisdiction
    user.set_password(PASSWORD)
    user.save()
    return user


def build_org() -> SimpleNamespace:
    ensure_defaults()
    levels = {lv.code: lv for lv in JurisdictionLevel.objects.all()}
    types = {t.code: t for t in UnitType.objects.all()}

    def node(parent, level, code, name, **extra):
        return services.jurisdiction_create(
            actor=None, parent=parent, level=levels[level], code=code, name=name, **extra
        )

    o = SimpleNamespace()
    o.city = node(None, "city", "C", "测试市")
    o.district = node(o.city, "district", "C-D", "测试区", population=100000)
    o.street_a = node(o.district, "street", "C-D-A", "甲街道", population=20000, households=7000)
    o.street_b = node(o.district, "street", "C-D-B", "乙街道", population=15000)
    o.comm_a1 = node(o.street_a, "community", "C-D-A-1", "甲一社区", population=9000, households=3000)
    o.comm_a2 = node(o.street_a, "community", "C-D-A-2", "甲二社区", population=11000)
    o.comm_b1 = node(o.street_b, "community", "C-D-B-1", "乙一社区", population=15000)
    o.estate_a1 = node(o.comm_a1, "estate", "C-D-A-1-1", "幸福小区", population=3000)
    o.grid_a1 = node(o.estate_a1, "grid", "C-D-A-1-1-1", "幸福网格")
    o.unit_a1 = services.unit_create(
        actor=None,
        unit_type=types["property"],
        name="幸福物业",
        jurisdiction=o.estate_a1,
        address="人民路1号",
        lat="31.467000",
        lng="104.683000",
        contact_name="张三",
        contact_phone="13800000001",
    )
    o.unit_a1b = services.unit_create(actor=None, unit_type=types["catering"], name="甲一面馆", jurisdiction=o.comm_a1)
    o.unit_a2 = services.unit_create(actor=None, unit_type=types["shop"], name="甲二超市", jurisdiction=o.comm_a2)
    o.unit_b1 = services.unit_create(actor=None, unit_type=types["shop"], name="乙一超市", jurisdiction=o.comm_b1)
    o.staff_a1 = services.staff_create(actor=None, name="李网格", post="网格员", jurisdiction=o.grid_a1)
    o.staff_a2 = services.staff_create(actor=None, name="王社区", post="社区工作人员", jurisdiction=o.comm_a2)
    o.staff_b1 = services.staff_create(actor=None, name="赵乙", post="社区工作人员", jurisdiction=o.comm_b1)
    o.group_a1 = services.group_create(actor=None, name="甲一创卫小组", kind="working", jurisdiction=o.comm_a1)
    o.group_b1 = services.group_create(actor=None, name="乙一创卫小组", kind="working", jurisdiction=o.comm_b1)
    o.zone_a1 = services.zone_create(
        actor=None,
        name="幸福物业包干区",
        kind="baogan",
        jurisdiction=o.comm_a1,
        holder_unit=o.unit_a1,
        starts_on=date(2026, 1, 1),
    )
    o.zone_b1 = services.zone_create(
        actor=None,
        name="乙一包干区",
        kind="baogan",
        jurisdiction=o.comm_b1,
        holder_staff=o.staff_b1,
        starts_on=date(2026, 1, 1),
    )
    o.admin = make_user("t_admin", Role.ADMIN, o.city)
    o.office = make_user("t_office", Role.OFFICE, o.district)
    o.street = make_user("t_street", Role.STREET, o.street_a)
    o.street_other = make_user("t_street_b", Role.STREET, o.street_b)
    o.community = make_user("t_comm", Role.COMMUNITY, o.comm_a1)
    o.community_other = make_user("t_comm2", Role.COMMUNITY, o.comm_a2)
    o.community_b = make_user("t_comm_b", Role.COMMUNITY, o.comm_b1)
    o.grid = make_user("t_grid", Role.GRID, o.grid_a1)
    o.inspector = make_user("t_insp", Role.INSPECTOR, o.street_a)
    o.unit_contact = make_user("t_unit", Role.UNIT_CONTACT, unit=o.unit_a1)
    o.leader = make_user("t_leader", Role.LEADER, o.street_a)
    return o
