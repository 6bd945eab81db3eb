"""What surveys' results part contributes: the results page (rates with Wilson intervals), the
answers export, figures, evidence and widgets (declared by name, joined in entries/__init__.py)."""

MENU = []
AUDIT_LABELS = {}
AUDIT_FIELDS = {}
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
