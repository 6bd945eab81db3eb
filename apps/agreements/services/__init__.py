"""Writes of agreements, one module per concept: templates, agreements (sign, refuse, renew,
cancel, expiry and reminders) and bulk generation."""
