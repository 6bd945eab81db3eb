"""The .xlsx ledger of health-education activities with their materials (the list's filters)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..selectors.activities import activity_list


def activity_export_rows(user, filters):
    return activity_list(user=user, filters=filters).prefetch_related("materials")


def activity_columns():
    return [
        (_("日期"), lambda a: a.held_on.isoformat()),
        (_("活动类型"), lambda a: a.get_kind_display()),
        (_("主题"), lambda a: a.topic),
        (_("地点"), lambda a: a.place),
        (_("辖区"), lambda a: a.jurisdiction.name),
        (_("主讲人/组织者"), lambda a: a.speaker or (a.organiser_unit.name if a.organiser_unit_id else "")),
        (_("对象"), lambda a: a.get_audience_display()),
        (_("参加人次"), lambda a: a.attendance),
        (_("扫码签到人次"), lambda a: a.signed_in),
        (_("状态"), lambda a: a.get_status_display()),
        (_("发放资料"), lambda a: pgettext("separator", "；").join(str(m) for m in a.materials.all())),
        (_("发放资料合计"), lambda a: sum(m.quantity for m in a.materials.all())),
    ]
