from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "apps.imports"
    label = "imports"
    verbose_name = _("导入导出")

    def ready(self):
        # Lists in every app (core's FilteredListView) export through this app; core cannot
        # import it (it sits below), so the handler is registered here.
        from apps.core.views_base import EXPORT_HANDLERS

        from .views import export_start

        EXPORT_HANDLERS["xlsx"] = export_start
