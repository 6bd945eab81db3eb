from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks, lookups  # noqa: F401 - registers the `within` lookup and the registry checks

        # Every installed app's `entries.py` declares what it contributes (see registry.py).
        autodiscover_modules("entries")
