"""The meetings' .xlsx lists (ExportSource), with the lists' filters."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import decision_list, meeting_list, rate


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def meeting_rows(user, filters):
    return meeting_list(user=user, filters=filters)


def meeting_columns():
    def attendance(m):
        # The page's rate (ROUND_HALF_UP, capped at 100), so the file says what the page says.
        value = rate(m.signed_count, m.invited_count)
        return "" if value is None else value

    return [
        (_("会议时间"), lambda m: _time(m.starts_at)),
        (_("实际召开时间"), lambda m: _time(m.held_at)),
        (_("会议类型"), lambda m: m.get_kind_display()),
        (_("会议主题"), lambda m: m.topic),
        (_("召开辖区"), lambda m: m.jurisdiction.name),
        (_("地点"), lambda m: m.place),
        (_("主持人"), lambda m: m.host),
        (_("记录人"), lambda m: m.recorder.display_name if m.recorder_id else ""),
        (_("应到人数"), lambda m: m.invited_count),
        (_("签到人数"), lambda m: m.signed_count),
        (_("出席率（%）"), attendance),
        (_("议定事项数"), lambda m: m.decision_count),
        (_("创建项目"), lambda m: m.campaign.title if m.campaign_id else ""),
        (_("状态"), lambda m: m.get_status_display()),
    ]


def decision_rows(user, filters):
    return decision_list(user=user, filters=filters)


def decision_columns():
    return [
        (_("会议日期"), lambda d: timezone.localtime(d.meeting.starts_at).strftime("%Y-%m-%d")),
        (_("会议主题"), lambda d: d.meeting.topic),
        (_("序号"), lambda d: d.number),
        (_("类别"), lambda d: d.get_kind_display()),
        (_("议定事项"), lambda d: d.text),
        (_("责任人/单位"), lambda d: d.owner_label),
        (_("完成时限"), lambda d: d.deadline.isoformat() if d.deadline else ""),
        (_("落实情况"), lambda d: d.tracked_status_label),
        (_("按期落实"), lambda d: _("是") if d.done_on_time else ""),
        (_("创卫任务"), lambda d: _("是") if d.task_id else ""),
    ]
