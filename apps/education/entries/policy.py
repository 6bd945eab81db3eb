"""The permission rows of every education model (roles.py says who does what)."""

from apps.core.roles import Role

from ..roles import DESK, READERS, VIEW_ADD

POLICY = {
    "education.educationplan": {**DESK, **READERS},
    # Grid workers record the lectures and hand-outs they run (add); changing a record stays with
    # its owner level (workflow.owns).
    "education.educationactivity": {**DESK, **READERS, Role.GRID: VIEW_ADD},
    "education.board": {**DESK, **READERS},
    "education.smokefreeplace": {**DESK, **READERS},
}
