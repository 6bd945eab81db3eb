"""What `organization` contributes: its permission rows, menu, ledgers, audit labels, home
widgets, consistency checks, demo builder and access-matrix rows."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.personal import Part, PersonalField, PersonKind
from apps.core.registry import AccessRow, DemoBuilder, ExportSource, MenuEntry, Widget, register
from apps.core.roles import ALL, EDIT, READ, STAFF_READERS, Role

from . import consistency, evidence, exports, reporting, widgets

EDITORS = {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: EDIT, Role.COMMUNITY: EDIT}
AREA_READERS = frozenset({Role.ADMIN, Role.OFFICE, Role.STREET, Role.COMMUNITY, Role.LEADER})


def _own_unit(user, unit) -> bool:
    return user.role == Role.UNIT_CONTACT and user.unit_id == unit.pk


def _own_record(user, staff) -> bool:
    return bool(staff.account_id and staff.account_id == user.pk)


# The people the organisation holds: unit contacts and staff (the policy's "staff" row:
# names in full, phones masked with 显示 for the desk roles; the person themself in full).
PERSONAL_DATA = [
    PersonalField("organization.unit", "contact_name", Part.NAME, PersonKind.STAFF, owner=_own_unit),
    PersonalField("organization.unit", "contact_phone", Part.PHONE, PersonKind.STAFF, owner=_own_unit),
    PersonalField("organization.staff", "name", Part.NAME, PersonKind.STAFF, owner=_own_record),
    PersonalField("organization.staff", "phone", Part.PHONE, PersonKind.STAFF, owner=_own_record),
]

register(
    "organization",
    personal_data=PERSONAL_DATA,
    consistency_checks=consistency.CHECKS,
    policy={
        "organization.jurisdiction": {
            Role.ADMIN: ALL,
            Role.OFFICE: EDIT,
            Role.STREET: EDIT,
            Role.COMMUNITY: READ,
            **STAFF_READERS,
        },
        "organization.jurisdictionlevel": {Role.ADMIN: EDIT, Role.OFFICE: READ, Role.STREET: READ},
        "organization.unittype": {Role.ADMIN: EDIT, Role.OFFICE: READ, Role.STREET: READ, Role.COMMUNITY: READ},
        "organization.unit": {**EDITORS, Role.UNIT_CONTACT: READ, **STAFF_READERS},
        "organization.zone": {**EDITORS, Role.UNIT_CONTACT: READ, **STAFF_READERS},
        "organization.staff": {**EDITORS, **STAFF_READERS},
        "organization.workgroup": {**EDITORS, **STAFF_READERS},
    },
    menu=[
        MenuEntry("jurisdictions", _("辖区"), "organization:jurisdiction_list", "organization.jurisdiction", order=500),
        MenuEntry("units", _("单位"), "organization:unit_list", "organization.unit", order=510),
        MenuEntry("zones", _("责任区"), "organization:zone_list", "organization.zone", order=520),
        MenuEntry("staff", _("人员"), "organization:staff_list", "organization.staff", order=530),
        MenuEntry("groups", _("领导/工作小组"), "organization:group_list", "organization.workgroup", order=540),
        MenuEntry(
            "reference", _("基础数据"), "organization:reference_list", "organization.jurisdictionlevel", order=850
        ),
    ],
    audit_labels={
        "organization.jurisdiction.created": pgettext_lazy("audit action", "新建辖区"),
        "organization.jurisdiction.updated": pgettext_lazy("audit action", "修改辖区"),
        "organization.jurisdiction.moved": pgettext_lazy("audit action", "调整上级辖区"),
        "organization.jurisdictionlevel.created": pgettext_lazy("audit action", "新建辖区层级"),
        "organization.jurisdictionlevel.updated": pgettext_lazy("audit action", "修改辖区层级"),
        "organization.unittype.created": pgettext_lazy("audit action", "新建单位类型"),
        "organization.unittype.updated": pgettext_lazy("audit action", "修改单位类型"),
        "organization.unit.created": pgettext_lazy("audit action", "新建单位"),
        "organization.unit.updated": pgettext_lazy("audit action", "修改单位"),
        "organization.unit.license_added": pgettext_lazy("audit action", "添加证照"),
        "organization.unit.license_removed": pgettext_lazy("audit action", "删除证照"),
        "organization.staff.created": pgettext_lazy("audit action", "新建人员"),
        "organization.staff.updated": pgettext_lazy("audit action", "修改人员"),
        "organization.workgroup.created": pgettext_lazy("audit action", "新建工作小组"),
        "organization.workgroup.updated": pgettext_lazy("audit action", "修改工作小组"),
        "organization.group.member_added": pgettext_lazy("audit action", "添加小组成员"),
        "organization.group.member_removed": pgettext_lazy("audit action", "移除小组成员"),
        "organization.zone.created": pgettext_lazy("audit action", "新建责任区"),
        "organization.zone.updated": pgettext_lazy("audit action", "修改责任区"),
        "organization.zone.reassigned": pgettext_lazy("audit action", "调整责任方"),
    },
    audit_fields={
        "holder": _("责任方"),
        "covered_jurisdictions": _("包含的辖区"),
        "kind": _("证照类型"),
        "number": _("证照编号"),
        "expires_on": _("有效期至"),
        "member": _("成员"),
        "position": _("职位"),
        "duty": _("分工"),
        "starts_on": _("开始日期"),
    },
    figures=evidence.FIGURES,
    report_sections=[reporting.SECTION],
    exports=[
        ExportSource("units", _("单位"), "organization.unit", exports.unit_rows, exports.unit_columns),
        ExportSource(
            "jurisdictions",
            _("辖区"),
            "organization.jurisdiction",
            exports.jurisdiction_rows,
            exports.jurisdiction_columns,
        ),
        ExportSource("staff", _("人员"), "organization.staff", exports.staff_rows, exports.staff_columns),
        ExportSource("zones", _("责任区"), "organization.zone", exports.zone_rows, exports.zone_columns),
        ExportSource("groups", _("领导/工作小组"), "organization.workgroup", exports.group_rows, exports.group_columns),
    ],
    widgets=[
        # Below each role's own work: the area in figures and on the map (grid workers and
        # inspectors see the grid or street they patrol).
        Widget(
            "organization.area",
            "organization/widgets/area.html",
            widgets.area,
            AREA_READERS | {Role.GRID, Role.INSPECTOR},
            order=800,
            wide=True,
        ),
        Widget(
            "organization.unit", "organization/widgets/unit.html", widgets.own_unit, frozenset({Role.UNIT_CONTACT}), 800
        ),
    ],
    demo=[DemoBuilder("organization", "apps.organization.demo.build")],
    urls=[("org/", "apps.organization.urls")],
    api_routes=[
        ("jurisdictions", "apps.organization.api.views.JurisdictionViewSet"),
        ("units", "apps.organization.api.views.UnitViewSet"),
        ("staff", "apps.organization.api.views.StaffViewSet"),
        ("zones", "apps.organization.api.views.ZoneViewSet"),
    ],
    access_world="apps.organization.tests.world.extend",
    access=[
        # 显示 of a unit contact's phone: the desk; a grid worker reads it masked only (403).
        AccessRow(
            "core:personal_reveal",
            args=lambda o: ["organization.unit", o.unit_a1.pk, "contact_phone"],
            allowed="community",
            other="community_b",
            forbidden="grid",
            method="post",
            json=True,
        ),
        AccessRow("organization:jurisdiction_list", allowed="grid", forbidden="unit_contact"),
        AccessRow("organization:jurisdiction_create", allowed="street", forbidden="community"),
        AccessRow(
            "organization:jurisdiction_detail",
            args=lambda o: [o.comm_a1.pk],
            allowed="community",
            other="community_other",
            forbidden="unit_contact",
        ),
        AccessRow(
            "organization:jurisdiction_update",
            args=lambda o: [o.comm_a1.pk],
            allowed="street",
            other="street_other",
            forbidden="community",
        ),
        AccessRow(
            "organization:jurisdiction_move",
            args=lambda o: [o.comm_a1.pk],
            allowed="street",
            other="street_other",
            forbidden="leader",
        ),
        AccessRow("organization:unit_list", allowed="grid"),
        AccessRow("organization:unit_create", allowed="community", forbidden="leader"),
        AccessRow(
            "organization:unit_detail", args=lambda o: [o.unit_a1.pk], allowed="unit_contact", other="community_other"
        ),
        AccessRow(
            "organization:unit_update",
            args=lambda o: [o.unit_a1.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
        ),
        AccessRow(
            "organization:license_add",
            args=lambda o: [o.unit_a1.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
            data=lambda o: {"kind": "卫生许可证", "number": "W-1", "expires_on": "2027-01-01"},
        ),
        AccessRow(
            "organization:license_remove",
            args=lambda o: [o.unit_a1.pk, o.license.pk],
            allowed="community",
            other="community_other",
            forbidden="leader",
            method="post",
        ),
        AccessRow("organization:staff_list", allowed="leader", forbidden="unit_contact"),
        AccessRow("organization:staff_create", allowed="community", forbidden="grid"),
        AccessRow(
            "organization:staff_detail",
            args=lambda o: [o.staff_a1.pk],
            allowed="grid",
            other="community_other",
            forbidden="unit_contact",
        ),
        AccessRow(
            "organization:staff_update",
            args=lambda o: [o.staff_a1.pk],
            allowed="community",
            other="community_other",
            forbidden="inspector",
        ),
        AccessRow("organization:group_list", allowed="inspector", forbidden="unit_contact"),
        AccessRow("organization:group_create", allowed="community", forbidden="leader"),
        AccessRow(
            "organization:group_detail",
            args=lambda o: [o.group_a1.pk],
            allowed="community",
            other="community_b",
            forbidden="unit_contact",
        ),
        AccessRow(
            "organization:group_update",
            args=lambda o: [o.group_a1.pk],
            allowed="community",
            other="community_b",
            forbidden="leader",
        ),
        AccessRow(
            "organization:group_member_add",
            args=lambda o: [o.group_a1.pk],
            allowed="community",
            other="community_b",
            forbidden="leader",
            method="post",
            data=lambda o: {"staff": o.staff_a1.pk, "position": "member", "duty": ""},
        ),
        AccessRow(
            "organization:group_member_remove",
            args=lambda o: [o.group_a1.pk, o.member.pk],
            allowed="community",
            other="community_b",
            forbidden="leader",
            method="post",
        ),
        AccessRow("organization:zone_list", allowed="unit_contact"),
        AccessRow("organization:zone_create", allowed="community", forbidden="grid"),
        AccessRow(
            "organization:zone_detail", args=lambda o: [o.zone_a1.pk], allowed="unit_contact", other="community_b"
        ),
        AccessRow(
            "organization:zone_update",
            args=lambda o: [o.zone_a1.pk],
            allowed="community",
            other="community_b",
            forbidden="leader",
        ),
        AccessRow(
            "organization:zone_reassign",
            args=lambda o: [o.zone_a1.pk],
            allowed="community",
            other="community_b",
            forbidden="inspector",
        ),
        AccessRow("organization:reference_list", allowed="street", forbidden="community"),
        AccessRow("organization:unit_type_create", allowed="admin", forbidden="street"),
        AccessRow(
            "organization:unit_type_update",
            args=lambda o: [o.unit_a1.unit_type_id],
            allowed="admin",
            forbidden="office",
        ),
        AccessRow("organization:level_create", allowed="admin", forbidden="office"),
        AccessRow("organization:level_update", args=lambda o: [o.city.level_id], allowed="admin", forbidden="street"),
        AccessRow("organization:map_layers", allowed="grid"),
        AccessRow("jurisdiction-list", allowed="grid", forbidden="unit_contact", api=True),
        AccessRow(
            "jurisdiction-detail",
            args=lambda o: [o.comm_a1.pk],
            allowed="community",
            other="community_other",
            forbidden="unit_contact",
            api=True,
        ),
        AccessRow("unit-list", allowed="grid", api=True),
        AccessRow(
            "unit-detail", args=lambda o: [o.unit_a1.pk], allowed="unit_contact", other="community_other", api=True
        ),
        AccessRow("staff-list", allowed="leader", forbidden="unit_contact", api=True),
        AccessRow(
            "staff-detail",
            args=lambda o: [o.staff_a1.pk],
            allowed="grid",
            other="community_other",
            forbidden="unit_contact",
            api=True,
        ),
        AccessRow("zone-list", allowed="unit_contact", api=True),
        AccessRow("zone-detail", args=lambda o: [o.zone_a1.pk], allowed="unit_contact", other="community_b", api=True),
    ],
)
