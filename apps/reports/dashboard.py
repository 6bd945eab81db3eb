"""驾驶舱 (issue 15 §6): one jurisdiction's picture at a glance, for the city, a district, a street
or a community.

Everything on it is a registered figure (apps/core/evidence.py) computed for the node's subtree,
read through the registry like the totals page (totals.py: `compute_all` batches, `visible`
respects each figure's permission); no domain app is imported. The page shows:

- KPI cells, grouped by module (`MODULES`, the one declarative list of what the dashboard shows),
  each linking to the records its figure counted;
- 12-month trends of a few key figures (`TRENDS`), one computation per month, each point linking
  to that month's records;
- the league table of the node's direct children (`LEAGUE` columns, sorted by the chosen one),
  each child linking to its own dashboard (drill-down city → district → street → community);
- a map of the children's outlines (organization.Jurisdiction.boundary) coloured by the sort KPI.

A listed key that no app registered is skipped, so the list may name figures before their app
offers them (`PENDING`). Cost: the KPIs are one `compute_all` for the node, the trends one per
month, the league one per child: bounded by (1 + 12 + children) × the figures' own queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.core.evidence import FigureSource, figures
from apps.core.filters import ChoiceFilter, DateFilter, IntegerFilter, StrictFilterSet
from apps.core.units import unit_text
from apps.organization.selectors_map import geometry_bounds
from apps.worktime import periods

from . import totals

# Which way a KPI is better: a rate people want high, a count of problems they want low, or a plain
# size (received cases, population) that is neither (the map shades it without judging).
HIGH, LOW, SIZE = "high", "low", "size"


@dataclass(frozen=True)
class Kpi:
    """One figure on the dashboard: its registered `key`, which way is better, and whether its
    value is an ordinal grade whose note names it (pest control: A=1 … 未达C级=4)."""

    key: str
    better: str = HIGH
    grade: bool = False


@dataclass(frozen=True)
class Module:
    slug: str
    label: Any
    kpis: tuple[Kpi, ...]


# The dashboard's KPIs, by module: the one list to edit. Keys no app registers are skipped.
MODULES: tuple[Module, ...] = (
    Module(
        "cases",
        gettext_lazy("案件处置"),
        (
            Kpi("cases.on_time_rate"),
            Kpi("cases.closure_rate"),
            Kpi("cases.rework_rate", LOW),
            Kpi("cases.overdue", LOW),
            Kpi("cases.recurrence", LOW),
            Kpi("cases.received", SIZE),
            Kpi("cases.closed", SIZE),
        ),
    ),
    Module(
        "inspections",
        gettext_lazy("检查考评"),
        (
            Kpi("inspections.average_percent"),
            Kpi("inspections.sheets", SIZE),
            Kpi("inspections.red_flags", SIZE),
            Kpi("inspections.yellow_flags", LOW),
        ),
    ),
    Module("agreements", gettext_lazy("责任书"), (Kpi("agreements.coverage_rate"),)),
    Module(
        "vectors",
        gettext_lazy("病媒生物防制"),
        (
            Kpi("pestcontrol.grade.rat", LOW, grade=True),
            Kpi("pestcontrol.grade.mosquito", LOW, grade=True),
            Kpi("pestcontrol.grade.fly", LOW, grade=True),
            Kpi("pestcontrol.grade.cockroach", LOW, grade=True),
            Kpi("pestcontrol.index.breteau_index", LOW),
        ),
    ),
    Module("education", gettext_lazy("健康教育"), (Kpi("education.course_rate"), Kpi("surveys.awareness"))),
    Module(
        "campaign",
        gettext_lazy("创卫工作"),
        (Kpi("campaigns.ledger_readiness"), Kpi("campaigns.tasks_overdue", LOW)),
    ),
    Module("organization", gettext_lazy("基本情况"), (Kpi("organization.population", SIZE),)),
)

# Keys listed above that a change in progress is adding to its app (empty when none is);
# test_dashboard checks that every listed key is registered or named here.
PENDING: frozenset[str] = frozenset()

# Figures drawn month by month (each one computation per month: keep this short).
TRENDS = ("cases.on_time_rate", "cases.received", "pestcontrol.index.breteau_index")
TREND_MONTHS = 12
# The league table's columns (each one computation per child), the first available one its default order.
LEAGUE = (
    "cases.on_time_rate",
    "cases.overdue",
    "inspections.average_percent",
    "agreements.coverage_rate",
    "pestcontrol.index.breteau_index",
)
# Map shades: 0 no value, 1 (worst) … 4 (best); a SIZE figure's 1 … 4 is small … large.
TONES = 4

KPIS = {kpi.key: kpi for module in MODULES for kpi in module.kpis}

# The page's parts: the KPIs come with the page; the trends (one computation per month) and the
# children (one per child: league table and map) are computed by requests of their own, which the
# page loads as it opens (htmx), so the first screen does not wait for them. ALL: every part in
# one response (a browser without htmx follows the placeholder's link to it).
KPIS_PART, TRENDS_PART, CHILDREN_PART, ALL = "kpis", "trends", "children", "all"
PARTS = (KPIS_PART, TRENDS_PART, CHILDREN_PART)


def listed_keys() -> list[str]:
    return [kpi.key for module in MODULES for kpi in module.kpis] + [*TRENDS, *LEAGUE]


def _shown(user, keys) -> list[FigureSource]:
    """The registered figures of `keys` that `user` may see, in the given order."""
    registered = figures()
    return [registered[key] for key in keys if key in registered and totals.visible(user, registered[key])]


# Query ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A node, a period (month, quarter or year; totals.Query) and the league table's order."""

    period: totals.Query
    sort: str = ""
    part: str = ""  # one part of the page (htmx), or ALL: every part at once; never in the links

    @property
    def node(self):
        return self.period.node

    def params(self, **changes) -> dict:
        values = self.period.params()
        if self.sort:
            values["sort"] = self.sort
        values.update({k: str(v) for k, v in changes.items() if v is not None})
        return {k: v for k, v in values.items() if v}

    def url(self, **changes) -> str:
        return f"{reverse('reports:dashboard')}?{urlencode(self.params(**changes))}"


def _part_choices():
    return [(part, part) for part in (TRENDS_PART, CHILDREN_PART, ALL)]


def _sort_choices():
    return [(key, key) for key in LEAGUE]


class DashboardFilterSet(StrictFilterSet):
    """The dashboard's query string: `jurisdiction` (an id; outside the user's subtree → 404),
    `period` (month by default) with a day `on` inside it, and `sort` (a league column)."""

    jurisdiction = IntegerFilter(label=gettext_lazy("辖区"), method="keep")
    period = ChoiceFilter(label=gettext_lazy("周期"), choices=totals.PERIOD_CHOICES, method="keep")
    on = DateFilter(label=gettext_lazy("所在日期"), method="keep")
    sort = ChoiceFilter(label=gettext_lazy("排序指标"), choices=_sort_choices, method="keep")
    part = ChoiceFilter(label=gettext_lazy("部分"), choices=_part_choices, method="keep")

    def keep(self, qs, name, value):
        return qs


def dashboard_query(user, data) -> Query:
    """The page's query from GET `data`: InvalidFilters (400) for malformed input, Http404 for a
    jurisdiction outside the user's subtree (the same answer as a missing one). Without a period
    it is the current month of the user's own jurisdiction."""
    params = DashboardFilterSet(data, totals.jurisdictions_for(user), user=user).params()
    if params.get("jurisdiction") is not None:
        node = totals.jurisdictions_for(user).filter(pk=params["jurisdiction"]).first()
    else:
        node = totals.default_node(user)
    if node is None:
        raise Http404
    period = totals.query_for(node, params.get("period") or periods.MONTH, params.get("on") or timezone.localdate())
    return Query(period, params.get("sort") or "", params.get("part") or "")


# Cells ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiCell:
    """A figure's value on the dashboard: totals.Cell with how to read it (better, grade)."""

    cell: totals.Cell
    kpi: Kpi

    @property
    def figure(self) -> FigureSource:
        return self.cell.figure

    @property
    def key(self) -> str:
        return self.cell.figure.key

    @property
    def value(self):
        return None if self.cell.failed else self.cell.value.value

    @property
    def text(self) -> str:
        """The value as shown: a grade by its name (the note starts with it), else the number."""
        if self.kpi.grade and not self.cell.failed and self.value is not None and self.cell.value.note:
            return self.cell.value.note.split("（")[0]
        return self.cell.text

    @property
    def unit(self) -> str:
        if self.kpi.grade or self.cell.failed or self.value is None:
            return ""
        return unit_text(self.figure.unit)

    @property
    def detail(self) -> str:
        if self.kpi.grade:
            return "" if self.cell.failed else self.cell.value.note
        return self.cell.detail

    @property
    def url(self) -> str:
        return self.cell.url

    @property
    def failed(self) -> bool:
        return self.cell.failed


def _kpi_cells(cells: list[totals.Cell]) -> list[KpiCell]:
    return [KpiCell(cell, KPIS.get(cell.figure.key) or Kpi(cell.figure.key)) for cell in cells]


@dataclass
class ModuleCells:
    module: Module
    cells: list[KpiCell] = field(default_factory=list)


def kpi_modules(user, query: Query) -> list[ModuleCells]:
    """The node's KPI cells by module (modules with nothing `user` may see are left out); one
    `compute_all`, so figures sharing a batch are computed once."""
    shown = _shown(user, [kpi.key for module in MODULES for kpi in module.kpis])
    period = query.period
    cells = _kpi_cells(totals.compute_all(shown, period.node.path, period.start, period.end))
    by_key = {cell.key: cell for cell in cells}
    found = [ModuleCells(module, [by_key[k.key] for k in module.kpis if k.key in by_key]) for module in MODULES]
    return [module for module in found if module.cells]


# Trends --------------------------------------------------------------------------------------


def trend_months(query: Query, count: int = TREND_MONTHS) -> list[tuple[date, date]]:
    """The `count` months ending with the month of the period's last day, oldest first."""
    last = periods.period_bounds(periods.MONTH, query.period.end)
    months = [last]
    while len(months) < count:
        months.insert(0, periods.previous_period(periods.MONTH, months[0][0]))
    return months


def trends(user, query: Query) -> dict:
    """{"labels": ["2026-01", …], "series": [{key, name, unit, values, urls, texts}]} for the
    TRENDS `user` may see: each month's value of each figure (None: nothing to compute from) and
    the link to the records it counted."""
    shown = _shown(user, TRENDS)
    months = trend_months(query)
    series = [
        {
            "key": figure.key,
            "name": str(figure.label),
            "unit": unit_text(figure.unit),
            "values": [],
            "urls": [],
            "texts": [],
        }
        for figure in shown
    ]
    for start, end in months:
        for entry, cell in zip(series, totals.compute_all(shown, query.node.path, start, end), strict=True):
            value = None if cell.failed or cell.value.value is None else float(cell.value.value)
            entry["values"].append(value)
            entry["urls"].append(cell.url)
            entry["texts"].append(cell.text)
    return {"labels": [start.strftime("%Y-%m") for start, _end in months], "series": series}


def trend_rows(lines: dict) -> list[dict]:
    """The trends as a table (newest month first): per month, each series' text and link."""
    rows = [
        {"label": label, "values": [{"text": s["texts"][i], "url": s["urls"][i]} for s in lines["series"]]}
        for i, label in enumerate(lines["labels"])
    ]
    return rows[::-1]


# League table and map --------------------------------------------------------------------------


@dataclass
class LeagueRow:
    node: Any
    cells: list[KpiCell]
    url: str  # the child's own dashboard (same period and order)
    rank: int | None = None
    tone: int = 0
    sort_cell: KpiCell | None = None


@dataclass
class League:
    columns: list[FigureSource]
    sort: FigureSource | None
    rows: list[LeagueRow]
    sort_urls: list[tuple[FigureSource, str]]


def league_columns(user) -> list[FigureSource]:
    return _shown(user, LEAGUE)


def tone_of(value, low, high, better: str) -> int:
    """1 (worst) … TONES (best) of `value` within the children's [low, high]; 0 without a value.
    A SIZE figure goes from small (1) to large (TONES); equal values are all in the middle."""
    if value is None:
        return 0
    position = 0.5 if high == low else float((value - low) / (high - low))
    if better == LOW:
        position = 1 - position
    return 1 + min(TONES - 1, int(position * TONES))


def league(user, query: Query) -> League:
    """The node's direct children (in `user`'s scope) with the LEAGUE figures each, ranked by the
    chosen column (best first; rows without a value last, by name); ties share a rank."""
    columns = league_columns(user)
    period = query.period
    rows = []
    for child in totals.children_of(user, query.node):
        cells = _kpi_cells(totals.compute_all(columns, child.path, period.start, period.end))
        rows.append(LeagueRow(child, cells, query.url(jurisdiction=child.pk)))
    # The chosen column, else the first one any child has a value in (an empty column ranks nobody).
    sort = next((figure for figure in columns if figure.key == query.sort), None)
    if sort is None:
        filled = [i for i, _f in enumerate(columns) if any(row.cells[i].value is not None for row in rows)]
        sort = columns[filled[0] if filled else 0] if columns else None
    if sort is not None:
        for row in rows:
            row.sort_cell = next(cell for cell in row.cells if cell.key == sort.key)
    if sort is not None:
        better = (KPIS.get(sort.key) or Kpi(sort.key)).better
        values = [row.sort_cell.value for row in rows if row.sort_cell.value is not None]
        low, high = (min(values), max(values)) if values else (None, None)
        sign = 1 if better == LOW else -1
        rows.sort(
            key=lambda row: (
                row.sort_cell.value is None,
                sign * (row.sort_cell.value or 0),
                row.node.path,
            )
        )
        previous, rank = None, 0
        for index, row in enumerate(rows, start=1):
            value = row.sort_cell.value
            if value is None:
                continue
            if value != previous:
                rank, previous = index, value
            row.rank = rank
            row.tone = tone_of(value, low, high, better)
    sort_urls = [(figure, query.url(sort=figure.key)) for figure in columns]
    return League(columns, sort, rows, sort_urls)


def _geometry(boundary):
    if isinstance(boundary, dict) and boundary.get("type") == "Feature":
        return boundary.get("geometry")
    return boundary


def map_data(query: Query, table: League) -> dict:
    """The children's outlines for the map, each with its name, the sort figure's value, its shade
    and the link to its dashboard; the node's own outline when it has one. Children without a
    boundary are left off (the league table still lists them)."""
    areas = []
    for row in table.rows:
        geometry = _geometry(row.node.boundary)
        bounds = geometry_bounds(geometry)
        if bounds is None:
            continue
        cell = row.sort_cell
        areas.append(
            {
                "id": row.node.pk,
                "name": row.node.name,
                "geometry": geometry,
                "bounds": bounds,
                "value": cell.text if cell is not None else "",
                "unit": cell.unit if cell is not None else "",
                "tone": row.tone,
                "rank": row.rank,
                "url": row.url,
            }
        )
    outline = _geometry(query.node.boundary)
    return {
        "areas": areas,
        "outline": outline if geometry_bounds(outline) else None,
        "figure": str(table.sort.label) if table.sort else "",
        "better": (KPIS.get(table.sort.key) or Kpi(table.sort.key)).better if table.sort else SIZE,
    }


# The page --------------------------------------------------------------------------------------


def ancestors(user, node) -> list:
    """The node's ancestors `user` may see, from the top (the breadcrumb)."""
    ids = [int(part) for part in node.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    return list(totals.jurisdictions_for(user).filter(pk__in=ids).order_by("depth"))


def dashboard(user, query: Query, parts=PARTS) -> dict:
    """What the page shows for `query`: the breadcrumb and the `parts` asked for. The charts' and
    the map's data also come as JSON text for a data attribute: the parts arrive by htmx, which
    drops <script> elements (json_script) from what it swaps in."""
    context: dict = {
        "ancestors": [(node, query.url(jurisdiction=node.pk)) for node in ancestors(user, query.node)],
    }
    if KPIS_PART in parts:
        context["modules"] = kpi_modules(user, query)
    if TRENDS_PART in parts:
        lines = trends(user, query)
        context.update(trends=lines, trend_rows=trend_rows(lines), trends_json=json.dumps(lines, ensure_ascii=False))
    if CHILDREN_PART in parts:
        table = league(user, query)
        shape = map_data(query, table)
        context.update(league=table, map=shape, map_json=json.dumps(shape, ensure_ascii=False))
    return context


def period_links(query: Query) -> dict:
    """The previous and next period, and the same day as a month, quarter or year."""
    period = query.period
    previous, following = period.step(-1), period.step(+1)
    return {
        "previous_url": query.url(on=previous["on"]) if previous else "",
        "next_url": query.url(on=following["on"]) if following else "",
        "kinds": [(kind, label, query.url(period=kind)) for kind, label in totals.PERIOD_CHOICES],
    }
