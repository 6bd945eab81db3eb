"""Grades from the control levels (GB/T 27770–27773): an index value meets a level when it is
within the level's limit for its place type (the limit of place type '' applies to place types
without one of their own); its grade is the best level it meets, else 未达C级. A place's grade
per pest is the worst grade of its graded indices; an area's grade per pest is the worst grade
of its places. Grades are computed when read, from the raw observations and the version in force
on the survey's date, so a new version regrades without touching an observation.

`Thresholds.load(version)` reads a version's limits in one query; pages grading many places
load each version once (`ThresholdCache`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import methods
from .choices import GRADE_ORDER, Grade

LEVELS = (Grade.A, Grade.B, Grade.C)


def worst(grades) -> str | None:
    """The worst of `grades` (None entries ignored); None when there is none."""
    ranked = [g for g in grades if g]
    if not ranked:
        return None
    return max(ranked, key=GRADE_ORDER.index)


def meets(value: Decimal, limit: Decimal, better: str) -> bool:
    return value >= limit if better == "higher" else value <= limit


@dataclass
class Thresholds:
    """One version's limits: (index key, place type) → {level: limit}."""

    version_id: int | None
    limits: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)

    @classmethod
    def load(cls, version) -> Thresholds:
        if version is None:
            return cls(None)
        table: dict[tuple[str, str], dict[str, Decimal]] = {}
        for index, place_type, level, limit in version.thresholds.values_list("index", "place_type", "level", "limit"):
            table.setdefault((index, place_type), {})[level] = limit
        return cls(version.pk, table)

    def levels_for(self, index: str, place_type: str) -> dict[str, Decimal]:
        return self.limits.get((index, place_type)) or self.limits.get((index, "")) or {}

    def grade(self, index: str, place_type: str, value: Decimal | None) -> str | None:
        """The grade of `value` for `index` at `place_type`; None when there is no value or
        the version sets no limit for the index (it is then not graded)."""
        if value is None:
            return None
        levels = self.levels_for(index, place_type)
        if not levels:
            return None
        better = methods.indices()[index][1].better
        for level in LEVELS:
            if level in levels and meets(value, levels[level], better):
                return level
        return Grade.FAIL

    def grades(self, values: dict[str, Decimal | None], place_type: str) -> dict[str, str | None]:
        return {key: self.grade(key, place_type, value) for key, value in values.items()}

    def place_grade(self, values: dict[str, Decimal | None], place_type: str) -> str | None:
        """The worst grade of the graded indices in `values` (one pest's, at one place)."""
        return worst(self.grades(values, place_type).values())


def version_in_force(pest: str, on: date):
    """The version of `pest`'s control standard in force on `on` (the latest that took effect on
    or before it), or None."""
    from .models import ControlVersion

    return (
        ControlVersion.objects.filter(standard__pest=pest, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


class ThresholdCache:
    """Versions and their limits, loaded once per (pest) and per version while grading many
    surveys: `for_date(pest, on)` answers from the versions of `pest`, read in one query."""

    def __init__(self):
        self._versions: dict[str, list] = {}
        self._thresholds: dict[int, Thresholds] = {}

    def versions(self, pest: str) -> list:
        if pest not in self._versions:
            from .models import ControlVersion

            self._versions[pest] = list(
                ControlVersion.objects.filter(standard__pest=pest).order_by("-effective_from", "-id")
            )
        return self._versions[pest]

    def version_on(self, pest: str, on: date):
        return next((v for v in self.versions(pest) if v.effective_from <= on), None)

    def thresholds(self, version) -> Thresholds:
        if version is None:
            return Thresholds(None)
        if version.pk not in self._thresholds:
            self._thresholds[version.pk] = Thresholds.load(version)
        return self._thresholds[version.pk]

    def for_date(self, pest: str, on: date) -> Thresholds:
        return self.thresholds(self.version_on(pest, on))
