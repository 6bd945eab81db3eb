from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    """Work time: the working calendar (holidays, 调休), working-hour arithmetic and reporting periods."""

    name = "apps.worktime"
    label = "worktime"
    verbose_name = _("工作时间")

    def ready(self):
        # This app declares its own policy row (issue 8: each app owns its entries; the core
        # registry will collect these). Until then it is added to core's POLICY here.
        from apps.core.roles import EDIT, POLICY, READ, Role

        POLICY.setdefault(
            "worktime.calendarday",
            {Role.ADMIN: EDIT, Role.OFFICE: EDIT, Role.STREET: READ, Role.COMMUNITY: READ},
        )
