"""The inspections' part of the access-matrix world (checklists, a round, sheets, an appeal, a ranking)."""

from apps.inspections.tests.factories import build_inspections


def extend(o) -> None:
    build_inspections(o)
