"""The operations part of pestcontrol's entries (joined in entries/__init__.py): POLICY, MENU,
AUDIT_LABELS, AUDIT_FIELDS, EXPORTS, WIDGETS, EVIDENCE, FIGURES, DEMO, API_ROUTES, ACCESS,
PUBLIC_URLS, PERSONAL_DATA — each optional."""
