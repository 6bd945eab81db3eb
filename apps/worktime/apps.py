from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    """Work time: the working calendar (holidays, 调休), working-hour arithmetic and reporting periods."""

    name = "apps.worktime"
    label = "worktime"
    verbose_name = _("工作时间")
