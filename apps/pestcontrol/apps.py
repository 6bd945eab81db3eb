from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PestcontrolConfig(AppConfig):
    name = "apps.pestcontrol"
    label = "pestcontrol"
    verbose_name = _("除四害与病媒生物监测")
