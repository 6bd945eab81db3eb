"""What 病媒生物监测 offers the evidence ledger (台账) and the totals page, through the registry.

- `pestcontrol.surveys` (病媒生物监测记录): surveys in a subtree dated in the period, category =
  the pest; each record's summary names its computed indices.
- Figures of the subtree's surveys in the period (the pooled counts from the surveys' record
  rollup, rollups.py; the grades from the surveys, selectors/grades.py):
  - `pestcontrol.index.<index key>` for every graded index: POOLED over the area's surveys of
    the index's method in the period (household surveys included): value = Σ numerator ÷
    Σ denominator × scale, with that numerator and denominator set; the note counts the surveys
    below their method's minimum sample.
  - `pestcontrol.grade.<pest>`: the area's grade (the worst of its places, each the worst of its
    graded indices) by the version in force on the period's last day, as an ORDINAL: A=1, B=2,
    C=3, 未达C级=4 (so a self-assessment indicator "≤ 3" means at least C); `note` = the grade's
    label and the deciding place, unit "级"; no value when the area has no graded survey.
Each links to the survey list filtered to exactly the surveys it pools.

Nothing here is scoped to a user: the ledger stores what a rule found; each survey's page stays
scoped like any page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import (
    EvidenceQuery,
    EvidenceRecord,
    EvidenceSource,
    FigureSource,
    FigureValue,
    narrow,
    node_id,
    window,
)
from apps.core.rollups import rollup_node_sums
from apps.core.units import unit_lazy, unit_text

from .. import methods
from ..choices import Grade, Pest
from ..filters.surveys import below_minimum_q
from ..grading import ThresholdCache
from ..models import MethodSetting
from ..selectors.grades import ORDINAL, area_grade, load_places, period_thresholds, surveys_in
from . import GROUP, rollups

RECORD_LIMIT = 20000
PERMISSION = "pestcontrol.survey"


def list_url(path: str, start: date | None, end: date | None, **extra) -> str:
    params = {"jurisdiction": node_id(path)}
    if start:
        params["start"] = start.isoformat()
    if end:
        params["end"] = end.isoformat()
    params.update(extra)
    return f"{reverse('pestcontrol:survey_list')}?{urlencode({k: v for k, v in params.items() if v})}"


# Evidence ----------------------------------------------------------------------------------


def survey_records(query: EvidenceQuery):
    qs = surveys_in(query.jurisdiction_path, query.start, query.end)
    if query.category:
        qs = qs.filter(pest=query.category)
    qs = narrow(qs, query, search_fields=("place_name",))
    rows = window(
        qs.order_by("-surveyed_on", "-id").values(
            "id", "method", "place_name", "surveyed_on", "counts", "jurisdiction__path", "jurisdiction__name"
        ),
        query,
        RECORD_LIMIT,
    )
    for row in rows:
        definition = methods.BY_CODE.get(row["method"])
        if definition is None:
            continue
        values = definition.compute(row["counts"] or {})
        summary = gettext("；").join(
            f"{index.label} {values[index.key] if values[index.key] is not None else '—'}{unit_text(index.unit)}"
            for index in definition.indices
        )
        yield EvidenceRecord(
            object_id=str(row["id"]),
            title=f"{definition.label} {row['place_name'] or row['jurisdiction__name']}".strip(),
            occurred_on=row["surveyed_on"],
            jurisdiction_path=row["jurisdiction__path"],
            url=reverse("pestcontrol:survey_detail", args=[row["id"]]),
            summary=summary,
        )


SURVEYS = EvidenceSource(
    key="pestcontrol.surveys",
    label=_("病媒生物监测记录"),
    records=survey_records,
    categories=lambda: list(Pest.choices),
)


# Figures -----------------------------------------------------------------------------------


def pooled_counts(path: str, start: date | None, end: date | None) -> dict[str, dict]:
    """method -> its inputs summed over the subtree's surveys in the period, from the surveys'
    record rollup (rollups.py)."""
    pooled: dict[str, dict] = {}
    for measure, total in rollup_node_sums(rollups.SURVEYS_KEY, path, start, end).items():
        method, name = measure.split(":", 1)
        pooled.setdefault(method, {})[name] = total
    return pooled


def figure_values(path: str, start: date | None, end: date | None) -> dict[str, FigureValue]:
    """Every figure of this part for one subtree and period: the pooled indices from the surveys'
    rollup, the count of surveys below their minimum sample and the grades (the worst place's:
    not a sum) from the period's surveys."""
    surveys = surveys_in(path, start, end)
    below: dict[str, int] = {}
    for method in surveys.filter(below_minimum_q(MethodSetting.minimums())).values_list("method", flat=True):
        below[method] = below.get(method, 0) + 1
    pooled = pooled_counts(path, start, end)
    values: dict[str, FigureValue] = {}
    for method, index in methods.graded_indices():
        counts = pooled.get(method.code, {})
        value = index.compute(counts)
        note = ""
        if below.get(method.code):
            note = gettext("含 {n} 次样本量不足的监测").format(n=below[method.code])
        values[f"pestcontrol.index.{index.key}"] = FigureValue(
            value,
            numerator=counts.get(index.numerator) if counts else None,
            denominator=counts.get(index.denominator) if counts else None,
            url=list_url(path, start, end, method=method.code),
            note=note,
        )
    places = load_places(surveys)
    cache, last_day = ThresholdCache(), end or timezone.localdate()
    thresholds = period_thresholds(cache, last_day)
    for pest, _label in Pest.choices:
        found = area_grade(places, pest, thresholds[pest])
        if found.grade is None:
            values[f"pestcontrol.grade.{pest}"] = FigureValue(None, url=list_url(path, start, end, pest=pest))
            continue
        note = str(Grade(found.grade).label)
        if found.place is not None:
            note = gettext("{grade}（{place}）").format(grade=note, place=found.place.label)
        version = cache.version_on(pest, last_day)
        if version is not None and version.is_example:
            # The self-assessment's "≤ 3" is real; the limits that made this grade are not official.
            note += gettext("（控制水平限值为示例值）")
        values[f"pestcontrol.grade.{pest}"] = FigureValue(
            Decimal(ORDINAL[found.grade]), url=list_url(path, start, end, pest=pest), note=note
        )
    return values


BATCH = {"batch": figure_values}


def _one(key: str):
    def compute(path, start, end) -> FigureValue:
        return figure_values(path, start, end)[key]

    return compute


POOLED = _("（辖区内周期内该方法全部监测合并计数：分子之和 ÷ 分母之和，含入户调查）")

FIGURES = [
    *[
        FigureSource(
            key=f"pestcontrol.index.{index.key}",
            label=index.label,
            unit=unit_lazy(index.unit) if index.unit else "",
            compute=_one(f"pestcontrol.index.{index.key}"),
            description=format_lazy(
                "{}{}", format_lazy(_("{label}（{method}）"), label=index.label, method=method.label), POOLED
            ),
            group=GROUP,
            permission=PERMISSION,
            extra=BATCH,
            order=200 + number,
        )
        for number, (method, index) in enumerate(methods.graded_indices())
    ],
    *[
        FigureSource(
            key=f"pestcontrol.grade.{pest}",
            label=format_lazy("{}{}", label, _("密度控制水平")),
            unit=unit_lazy(gettext_noop("级")),
            compute=_one(f"pestcontrol.grade.{pest}"),
            description=_(
                "辖区各场所中最差的级别（场所取其各分级指标中最差者），按周期末日适用的控制水平版本评定；"
                "数值为级别序号：A级=1，B级=2，C级=3，未达C级=4（“≤3”即达到C级）"
            ),
            group=GROUP,
            permission=PERMISSION,
            extra=BATCH,
            order=300 + number,
        )
        for number, (pest, label) in enumerate(Pest.choices)
    ],
]
