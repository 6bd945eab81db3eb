"""Shared by the inspection services of every concept; who may do what is declared with the
lifecycles in ``..workflow``."""

from __future__ import annotations

from ..workflow import INSPECTORS, REVIEWERS, judges_own_work

FINDING_CATEGORY_CODE = "inspection_finding"

__all__ = ["FINDING_CATEGORY_CODE", "INSPECTORS", "REVIEWERS", "acting_user", "judges_own_work"]


def acting_user(actor):
    return actor if getattr(actor, "pk", None) else None
