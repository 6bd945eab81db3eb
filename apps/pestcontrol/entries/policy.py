"""The permission rows of every pestcontrol model (roles.py says who does what)."""

from apps.core.roles import Role

from ..roles import DESK, READERS, RECORDERS, REFERENCE, VIEW_ADD

POLICY = {
    "pestcontrol.pestcampaign": {**DESK, **READERS},
    "pestcontrol.operation": RECORDERS,
    "pestcontrol.followupcheck": RECORDERS,
    # A street or community that buys a drug locally adds it to the shared catalogue; changing a
    # product (which every area's records name) stays with the administrator and the office.
    "pestcontrol.product": {**REFERENCE, Role.STREET: VIEW_ADD, Role.COMMUNITY: VIEW_ADD},
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
