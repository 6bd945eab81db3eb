"""Writes of campaigns, one module per concept; each service is keyword-only, atomic, scope-checked and audited."""
