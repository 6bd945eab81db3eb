"""The permission rows of every pestcontrol model (roles.py says who does what)."""

from ..roles import DESK, READERS, RECORDERS, REFERENCE

POLICY = {
    "pestcontrol.pestcampaign": {**DESK, **READERS},
    "pestcontrol.operation": RECORDERS,
    "pestcontrol.followupcheck": RECORDERS,
    "pestcontrol.product": {**REFERENCE, **{role: actions for role, actions in DESK.items()}},
    "pestcontrol.bannedsubstance": REFERENCE,
    "pestcontrol.store": {**DESK, **READERS},
    "pestcontrol.stockmovement": {**DESK, **READERS},
    "pestcontrol.survey": RECORDERS,
    "pestcontrol.methodsetting": REFERENCE,
    "pestcontrol.controlstandard": REFERENCE,
    "pestcontrol.controlversion": REFERENCE,
    "pestcontrol.householdvisit": RECORDERS,
    "pestcontrol.aedessetting": REFERENCE,
    "pestcontrol.vectoralert": {**DESK, **READERS},
}
