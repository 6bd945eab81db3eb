from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The in-app inbox and the pluggable outbound channels (SMS, e-mail), for every app."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = _("通知")
