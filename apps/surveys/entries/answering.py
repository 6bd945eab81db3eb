"""What surveys' answering part contributes (declared by name, joined in entries/__init__.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MENU = []
AUDIT_LABELS = {
    "surveys.response.created": pgettext_lazy("audit action", "收到答卷"),
}
AUDIT_FIELDS = {
    "channel": _("作答方式"),
}
EXPORTS = []
WIDGETS = []
EVIDENCE = []
FIGURES = []
SUMMARIES = []
DEMO = []
API_ROUTES = []
PUBLIC_URLS = set()
PERSONAL_DATA = []
ACCESS = []
