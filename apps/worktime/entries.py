"""What `worktime` contributes: the working calendar's permission row, page and audit labels."""

from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow, register
from apps.core.roles import EDIT, READ, Role

register(
    "worktime",
    policy={"worktime.calendarday": {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: READ, Role.COMMUNITY: READ}},
    # The action names predate the move of the calendar out of the cases app; old rows keep them.
    audit_labels={
        "cases.calendarday.saved": pgettext_lazy("audit action", "设置工作日历"),
        "cases.calendarday.deleted": pgettext_lazy("audit action", "删除工作日历设置"),
    },
    urls=[("calendar/", "apps.worktime.urls")],
    access=[AccessRow("worktime:calendar", allowed="community", forbidden="grid")],
)
