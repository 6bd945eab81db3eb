"""Writes of the surveys app, one module per concept: questionnaires (builder, versions,
sampling plan, rules, open/close), responses (scoring and storing one respondent's answers) and
public answering (the device window, the rate limit and refusals)."""
