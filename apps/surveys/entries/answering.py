"""What surveys' answering part contributes (declared by name, joined in entries/__init__.py):
the channels page (public link, QR code, poster), the public answer page (no login) and the
interviewer's phone page with its JSON form and submit endpoint."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.registry import AccessRow

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
DEMO = []
API_ROUTES = []
PUBLIC_URLS = {"surveys:answer", "surveys:answer_thanks"}
PERSONAL_DATA = []
ACCESS = [
    AccessRow(
        "surveys:questionnaire_channels",
        args=lambda o: [o.answering_survey.pk],
        allowed="community",
        other="community_b",
        forbidden="unit_contact",
    ),
    AccessRow(
        "surveys:questionnaire_qr",
        args=lambda o: [o.answering_survey.pk],
        allowed="leader",
        other="street_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "surveys:questionnaire_poster",
        args=lambda o: [o.answering_survey.pk],
        allowed="street",
        other="street_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "surveys:interview",
        args=lambda o: [o.answering_survey.pk],
        allowed="grid",
        other="community_b",
        forbidden="leader",
    ),
    AccessRow(
        "surveys:interview_form",
        args=lambda o: [o.answering_survey.pk],
        allowed="grid",
        other="community_b",
        forbidden="leader",
    ),
    AccessRow(
        "surveys:interview_submit",
        args=lambda o: [o.answering_survey.pk],
        allowed="grid",
        other="community_b",
        forbidden="leader",
        method="post",
        data=lambda o: {"data": o.answering_body()},
        json=True,
    ),
]
