"""The permission rows of the surveys models (roles.py says who does what)."""

from ..roles import DESK, READERS

POLICY = {
    "surveys.questionnaire": {**DESK, **READERS},
}
