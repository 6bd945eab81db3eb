"""Grades of places and areas from pooled survey counts (the control levels, grading.py).

- A place is (jurisdiction, place type, unit): the surveys made there.
- Its index for a period is POOLED: the sums of its surveys' numerators over the sums of their
  denominators, per method (7 + 3 positive containers in 101 + 99 households → BI 5.00), never
  an average of the surveys' indices.
- Its grade per pest is the worst grade of that pest's graded indices (grading.Thresholds).
- An area's grade per pest is the worst grade among its places; the page names the place that
  decides it.
- A period is graded by the version in force on its LAST day (a survey alone, by the version in
  force on its date); the grade page may name another version of a pest's standard to compare.

Everything is read with one query of the surveys' counts (values only), pooled in Python, and
graded from a ThresholdCache (one query per pest for the versions, one per version for the
limits): a city's page stays a handful of queries however many surveys it holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..choices import GRADE_ORDER, Grade, Pest
from ..grading import ThresholdCache, Thresholds, worst
from ..methods import BY_CODE
from ..models import Survey

ORDINAL = {Grade.A: 1, Grade.B: 2, Grade.C: 3, Grade.FAIL: 4}  # the figures' value of a grade


def add_counts(total: dict, counts: dict) -> None:
    for key, value in (counts or {}).items():
        try:
            total[key] = total.get(key, Decimal(0)) + Decimal(str(value or 0))
        except ArithmeticError:
            continue


def pooled_values(pooled: dict[str, dict]) -> dict[str, Decimal | None]:
    """Every index of the pooled counts (method → summed inputs): index key → value."""
    values: dict[str, Decimal | None] = {}
    for code, counts in pooled.items():
        values.update(BY_CODE[code].compute(counts))
    return values


@dataclass
class Place:
    jurisdiction_id: int
    path: str
    name: str
    place_type: str
    unit_id: int | None
    unit_name: str = ""
    counts: dict[str, dict] = field(default_factory=dict)  # method → pooled inputs
    surveys: int = 0

    @property
    def label(self) -> str:
        from ..choices import PlaceType

        parts = [self.name, str(PlaceType(self.place_type).label) if self.place_type in PlaceType.values else ""]
        if self.unit_name:
            parts.append(self.unit_name)
        return " · ".join(p for p in parts if p)

    def values(self, pest: str) -> dict[str, Decimal | None]:
        return pooled_values({code: c for code, c in self.counts.items() if BY_CODE[code].pest == pest})

    def grade(self, pest: str, thresholds: Thresholds) -> str | None:
        return thresholds.place_grade(self.values(pest), self.place_type)


def load_places(surveys) -> list[Place]:
    """The places of `surveys` (a Survey queryset) with their pooled counts, from one query."""
    rows = surveys.order_by().values_list(
        "jurisdiction_id", "jurisdiction__path", "jurisdiction__name", "place_type", "unit_id", "unit__name",
        "method", "counts",
    )  # fmt: skip
    places: dict[tuple, Place] = {}
    for jurisdiction_id, path, name, place_type, unit_id, unit_name, method, counts in rows.iterator(chunk_size=2000):
        if method not in BY_CODE:
            continue
        key = (jurisdiction_id, place_type, unit_id)
        place = places.get(key)
        if place is None:
            place = places[key] = Place(jurisdiction_id, path, name, place_type, unit_id, unit_name or "")
        add_counts(place.counts.setdefault(method, {}), counts)
        place.surveys += 1
    return list(places.values())


@dataclass
class AreaGrade:
    grade: str | None
    place: Place | None  # the place that decides it (the first with the worst grade)


def area_grade(places: list[Place], pest: str, thresholds: Thresholds) -> AreaGrade:
    graded = [(place.grade(pest, thresholds), place) for place in places]
    decided = worst(g for g, _p in graded)
    if decided is None:
        return AreaGrade(None, None)
    return AreaGrade(decided, next(p for g, p in graded if g == decided))


def period_thresholds(cache: ThresholdCache, end, overrides: dict | None = None) -> dict[str, Thresholds]:
    """Per pest, the limits that grade a period ending on `end`: the version in force on that day,
    unless `overrides` names another version of the pest's standard (pest → ControlVersion)."""
    result = {}
    for pest in Pest.values:
        version = (overrides or {}).get(pest) or cache.version_on(pest, end)
        result[pest] = cache.thresholds(version)
    return result


def surveys_in(path: str, start, end, base=None):
    qs = base if base is not None else Survey.objects.all()
    qs = qs.filter(jurisdiction__path__startswith=path)
    if start:
        qs = qs.filter(surveyed_on__gte=start)
    if end:
        qs = qs.filter(surveyed_on__lte=end)
    return qs


def area_grades(path: str, start, end, *, thresholds: dict[str, Thresholds], base=None) -> dict[str, AreaGrade]:
    places = load_places(surveys_in(path, start, end, base))
    return {pest: area_grade(places, pest, thresholds[pest]) for pest in Pest.values}


def grade_rank(grade: str | None) -> int:
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else -1


def grade_table(*, node, children, start, end, thresholds: dict[str, Thresholds], base=None) -> dict:
    """The grade page's table: the node and each child (its places pooled in the period), and the
    node's place types, each with the grade per pest and the place that decides it."""
    places = load_places(surveys_in(node.path, start, end, base))
    rows = []
    for number, area in enumerate([node, *children]):
        mine = [p for p in places if p.path.startswith(area.path)]
        rows.append(
            {
                "node": area,
                "is_parent": number == 0,
                "surveys": sum(p.surveys for p in mine),
                "grades": {pest: area_grade(mine, pest, thresholds[pest]) for pest in Pest.values},
            }
        )
    by_type = defaultdict(list)
    for place in places:
        by_type[place.place_type].append(place)
    type_rows = [
        {
            "place_type": place_type,
            "surveys": sum(p.surveys for p in group),
            "grades": {pest: area_grade(group, pest, thresholds[pest]) for pest in Pest.values},
        }
        for place_type, group in sorted(by_type.items())
    ]
    return {"rows": rows, "type_rows": type_rows, "places": places}
