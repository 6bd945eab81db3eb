from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Writers shared by every app: the .docx notice layout and the .xlsx table writer."""

    name = "apps.documents"
    label = "documents"
    verbose_name = _("文书与表格")
