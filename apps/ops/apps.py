from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backup and restore, and the health endpoint for the load balancer."""

    name = "apps.ops"
    label = "ops"
    verbose_name = _("运维")
