"""The organisation ledgers people download (.xlsx): units, jurisdictions, staff, zones, groups.

Phone numbers are masked in every file, whoever downloads it (apps/core/personal.py): a file
leaves the application and its audit log; the full number is a 显示 on the page."""

from django.utils.translation import gettext as _

from apps.core.personal import in_records

from .selectors import group_list, jurisdiction_list, staff_list, unit_list, zone_list


def unit_rows(user, filters):
    return unit_list(user=user, filters=filters)


def unit_columns():
    return [
        (_("单位名称"), lambda u: u.name),
        (_("单位类型"), lambda u: u.unit_type.name),
        (_("所在辖区"), lambda u: u.jurisdiction.name),
        (_("所在辖区代码"), lambda u: u.jurisdiction.code),
        (_("地址"), lambda u: u.address),
        (_("纬度"), lambda u: float(u.lat) if u.lat is not None else None),
        (_("经度"), lambda u: float(u.lng) if u.lng is not None else None),
        (_("联系人"), lambda u: in_records(u, "contact_name")),
        (_("联系电话"), lambda u: in_records(u, "contact_phone")),
        (_("经营状态"), lambda u: u.get_status_display()),
        (_("统一社会信用代码"), lambda u: u.credit_code),
    ]


def jurisdiction_rows(user, filters):
    return jurisdiction_list(user=user, filters=filters)


def jurisdiction_columns():
    return [
        (_("区划代码"), lambda j: j.code),
        (_("名称"), lambda j: j.name),
        (_("层级"), lambda j: j.level.name),
        (_("上级区划代码"), lambda j: j.parent.code if j.parent_id else ""),
        (_("人口"), lambda j: j.population),
        (_("户数"), lambda j: j.households),
        (_("面积（平方公里）"), lambda j: float(j.area_km2) if j.area_km2 is not None else None),
        (_("中心纬度"), lambda j: float(j.center_lat) if j.center_lat is not None else None),
        (_("中心经度"), lambda j: float(j.center_lng) if j.center_lng is not None else None),
    ]


def staff_rows(user, filters):
    return staff_list(user=user, filters=filters)


def staff_columns():
    return [
        (_("姓名"), lambda s: in_records(s, "name")),
        (_("所属辖区代码"), lambda s: s.jurisdiction.code),
        (_("所属辖区"), lambda s: s.jurisdiction.name),
        (_("职务/岗位"), lambda s: s.post),
        (_("联系电话"), lambda s: in_records(s, "phone")),
        (_("所属单位"), lambda s: s.unit.name if s.unit_id else ""),
        (_("在岗"), lambda s: _("是") if s.is_active else _("否")),
    ]


def zone_rows(user, filters):
    return zone_list(user=user, filters=filters)


def zone_columns():
    return [
        (_("名称"), lambda z: z.name),
        (_("类别"), lambda z: z.get_kind_display()),
        (_("所在辖区"), lambda z: z.jurisdiction.name),
        (_("当前责任方"), lambda z: str(z.current_holder) if z.current_holder else ""),
        (_("包含的地址/路段"), lambda z: "；".join(z.address_list)),
    ]


def group_rows(user, filters):
    return group_list(user=user)


def group_columns():
    return [
        (_("名称"), lambda g: g.name),
        (_("类别"), lambda g: g.get_kind_display()),
        (_("所属辖区"), lambda g: g.jurisdiction.name),
        (_("上级小组"), lambda g: g.parent.name if g.parent_id else ""),
        (_("成员数"), lambda g: g.member_count),
        (_("职责"), lambda g: g.duties),
    ]
