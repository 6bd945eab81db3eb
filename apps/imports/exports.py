"""Exports: the lists that can be written to .xlsx (the writer is apps.documents.xlsx).

A list view and its export share the selector, so an export carries exactly the
filters and scope of the page the user was looking at.
"""

from django.utils import timezone
from django.utils.translation import gettext as _


def _unit_rows(user, filters):
    from apps.organization.selectors import unit_list

    return unit_list(user=user, filters=filters)


def _unit_columns():
    return [
        (_("单位名称"), lambda u: u.name),
        (_("单位类型"), lambda u: u.unit_type.name),
        (_("所在辖区"), lambda u: u.jurisdiction.name),
        (_("所在辖区代码"), lambda u: u.jurisdiction.code),
        (_("地址"), lambda u: u.address),
        (_("纬度"), lambda u: float(u.lat) if u.lat is not None else None),
        (_("经度"), lambda u: float(u.lng) if u.lng is not None else None),
        (_("联系人"), lambda u: u.contact_name),
        (_("联系电话"), lambda u: u.contact_phone),
        (_("经营状态"), lambda u: u.get_status_display()),
        (_("统一社会信用代码"), lambda u: u.credit_code),
    ]


def _jurisdiction_rows(user, filters):
    from apps.organization.selectors import jurisdiction_list

    return jurisdiction_list(user=user, filters=filters)


def _jurisdiction_columns():
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


def _staff_rows(user, filters):
    from apps.organization.selectors import staff_list

    return staff_list(user=user, filters=filters)


def _staff_columns():
    return [
        (_("姓名"), lambda s: s.name),
        (_("所属辖区代码"), lambda s: s.jurisdiction.code),
        (_("所属辖区"), lambda s: s.jurisdiction.name),
        (_("职务/岗位"), lambda s: s.post),
        (_("联系电话"), lambda s: s.phone),
        (_("所属单位"), lambda s: s.unit.name if s.unit_id else ""),
        (_("在岗"), lambda s: _("是") if s.is_active else _("否")),
    ]


def _audit_rows(user, filters):
    from apps.core.selectors import audit_event_list

    return audit_event_list(user=user, filters=filters)


def _audit_columns():
    return [
        (_("时间"), lambda e: timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
        (_("操作人"), lambda e: e.actor_name),
        (_("动作"), lambda e: e.action),
        (_("对象"), lambda e: e.object_repr),
        (_("变更内容"), lambda e: str(e.data)),
    ]


def _zone_rows(user, filters):
    from apps.organization.selectors import zone_list

    return zone_list(user=user, filters=filters)


def _zone_columns():
    return [
        (_("名称"), lambda z: z.name),
        (_("类别"), lambda z: z.get_kind_display()),
        (_("所在辖区"), lambda z: z.jurisdiction.name),
        (_("当前责任方"), lambda z: str(z.current_holder) if z.current_holder else ""),
        (_("包含的地址/路段"), lambda z: "；".join(z.address_list)),
    ]


def _group_rows(user, filters):
    from apps.organization.selectors import group_list

    return group_list(user=user)


def _group_columns():
    return [
        (_("名称"), lambda g: g.name),
        (_("类别"), lambda g: g.get_kind_display()),
        (_("所属辖区"), lambda g: g.jurisdiction.name),
        (_("上级小组"), lambda g: g.parent.name if g.parent_id else ""),
        (_("成员数"), lambda g: g.member_count),
        (_("职责"), lambda g: g.duties),
    ]


def _user_rows(user, filters):
    from apps.accounts.selectors import user_list

    return user_list(user=user, filters=filters)


def _user_columns():
    return [
        (_("用户名"), lambda u: u.username),
        (_("姓名"), lambda u: u.display_name),
        (_("角色"), lambda u: u.get_role_display()),
        (_("所属辖区"), lambda u: u.jurisdiction.name if u.jurisdiction_id else ""),
        (_("所属单位"), lambda u: u.unit.name if u.unit_id else ""),
        (_("状态"), lambda u: _("启用") if u.is_active else _("停用")),
        (_("最近登录"), lambda u: timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else ""),
    ]


def _case_rows(user, filters):
    from apps.cases.selectors import case_list

    return case_list(user=user, filters=filters)


def _case_columns():
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        (_("案件编号"), lambda c: c.code),
        (_("来源"), lambda c: c.get_source_display()),
        (_("问题类别"), lambda c: str(c.category)),
        (_("所在辖区"), lambda c: c.jurisdiction.name),
        (_("地点"), lambda c: c.address),
        (_("问题描述"), lambda c: c.description),
        (_("状态"), lambda c: c.get_status_display()),
        (_("责任单位"), lambda c: str(c.assignee) if c.assignee else ""),
        (_("上报时间"), lambda c: when(c.created_at)),
        (_("处置时限"), lambda c: when(c.deadline_at)),
        (_("结案时间"), lambda c: when(c.closed_at)),
        (_("返工次数"), lambda c: c.rework_count),
        (_("重复发生"), lambda c: _("是") if c.is_recurrence else ""),
    ]


# name -> (rows(user, filters), columns())
def _inspection_rows(user, filters):
    from apps.inspections.selectors import inspection_list

    return inspection_list(user=user, filters=filters)


def _inspection_columns():
    return [
        (_("检查对象"), lambda i: i.target_label),
        (_("所在辖区"), lambda i: i.target_jurisdiction.name),
        (_("检查表"), lambda i: str(i.checklist)),
        (_("检查轮次"), lambda i: str(i.round) if i.round_id else ""),
        (_("检查人"), lambda i: i.inspector.display_name if i.inspector_id else ""),
        (_("状态"), lambda i: i.get_status_display()),
        (_("检查日期"), lambda i: i.inspected_on.isoformat() if i.inspected_on else ""),
        (_("得分"), lambda i: float(i.total) if i.total is not None else ""),
        (_("满分"), lambda i: float(i.max_total)),
        (_("百分制得分"), lambda i: float(i.percent) if i.percent is not None else ""),
        (_("原始得分"), lambda i: float(i.original_total) if i.original_total is not None else ""),
        (_("一票否决"), lambda i: _("是") if i.vetoed else ""),
    ]


EXPORT_SOURCES = {
    "units": (_unit_rows, _unit_columns),
    "jurisdictions": (_jurisdiction_rows, _jurisdiction_columns),
    "staff": (_staff_rows, _staff_columns),
    "zones": (_zone_rows, _zone_columns),
    "audit": (_audit_rows, _audit_columns),
    "groups": (_group_rows, _group_columns),
    "users": (_user_rows, _user_columns),
    "cases": (_case_rows, _case_columns),
    "inspections": (_inspection_rows, _inspection_columns),
}
