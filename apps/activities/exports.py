"""The .xlsx ledgers: activities with their 人次 and outputs (the list's filters), and the
volunteer register with names and phones masked for everyone (a file leaves the application)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.personal import in_records

from .choices import ParticipantKind
from .selectors import activity_rows, volunteer_list


def activity_export_rows(user, filters):
    return activity_rows(user=user, filters=filters)


def _people(kind):
    return lambda a: next((p.count for p in a.participants.all() if p.kind == kind), 0)


def activity_columns():
    columns = [
        (_("活动日期"), lambda a: a.held_on.isoformat()),
        (_("活动类型"), lambda a: a.get_kind_display()),
        (_("活动名称"), lambda a: a.title),
        (_("地点"), lambda a: a.place),
        (_("组织辖区"), lambda a: a.jurisdiction.name),
        (_("覆盖区域"), lambda a: pgettext("separator", "、").join(j.name for j in a.areas.all())),
        (_("组织者"), lambda a: a.organiser or (a.organiser_unit.name if a.organiser_unit_id else "")),
        (_("状态"), lambda a: a.get_status_display()),
    ]
    columns += [(label, _people(kind)) for kind, label in ParticipantKind.choices]
    columns += [
        (_("合计人次"), lambda a: sum(p.count for p in a.participants.all())),
        (_("活动成效"), lambda a: pgettext("separator", "；").join(str(o) for o in a.outputs.all() if o.quantity)),
        (_("位置"), lambda a: pgettext("separator", "；").join(o.location for o in a.outputs.all() if o.location)),
    ]
    return columns


def volunteer_export_rows(user, filters):
    return volunteer_list(user=user, filters=filters)


def volunteer_columns():
    return [
        (_("编号"), lambda v: v.pk),
        (_("姓名"), lambda v: in_records(v, "full_name")),
        (_("联系电话"), lambda v: in_records(v, "phone")),
        (_("志愿服务队"), lambda v: v.team.name if v.team_id else ""),
        (_("特长"), lambda v: v.skills),
        (_("所属辖区"), lambda v: v.jurisdiction.name),
        (_("在册"), lambda v: _("是") if v.is_active else _("否")),
        (_("到场次数"), lambda v: v.attended_count or 0),
        (_("服务时长（小时）"), lambda v: v.hours_total or 0),
    ]
