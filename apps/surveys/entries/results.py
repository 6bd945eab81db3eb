"""What surveys' results part contributes: the results page (rates with Wilson intervals), the
answers export, figures, evidence and widgets (declared by name, joined in entries/__init__.py)."""

from apps.core.registry import AccessRow, Widget
from apps.core.roles import DESK_ROLES, Role

from ..evidence.results import EVIDENCE as RESULT_EVIDENCE
from ..evidence.results import FIGURES as RESULT_FIGURES
from ..reporting import SECTION as REPORT_SECTION
from ..widgets.results import open_surveys

MENU = []
AUDIT_LABELS = {}
AUDIT_FIELDS = {}
EXPORTS = []
WIDGETS = [
    Widget("surveys.open", "surveys/widgets/open.html", open_surveys, frozenset(DESK_ROLES | {Role.LEADER}), 75),
]
EVIDENCE = RESULT_EVIDENCE
FIGURES = RESULT_FIGURES
REPORT_SECTIONS = [REPORT_SECTION]
DEMO = []
API_ROUTES = []
PUBLIC_URLS = set()
PERSONAL_DATA = []
ACCESS = [
    AccessRow(
        "surveys:questionnaire_results",
        args=lambda o: [o.results_survey.pk],
        allowed="leader",
        other="street_other",
        forbidden="unit_contact",
    ),
    AccessRow(
        "surveys:questionnaire_export",
        args=lambda o: [o.results_survey.pk],
        allowed="street",
        other="street_other",
        forbidden="unit_contact",
    ),
]
