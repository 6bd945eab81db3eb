"""数据汇总: every figure the apps registered (apps/core/evidence.py), for a jurisdiction and a period.

The page never imports a domain app: it reads `registry.figures()` and calls each figure's
`compute(path, start, end)` for the chosen node and for each of its direct children (the
roll-up table); figures that share an `extra["batch"]` function are computed by one call of it
per node (`compute_all`). A figure's own `url` links to the records it counted.

Roll-up rule (the apps' figures implement it, this page only shows it): a record counts once in
every node whose subtree holds its owner jurisdiction (or, for activities, an area it covered),
so a record covering two communities counts once in each and once in the street; the children
may therefore sum to more than their parent.

Months, quarters and years are cut, stepped and named by apps/worktime/periods.py; the .xlsx is
written by apps/documents/xlsx.py. The query string is read in `filters.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.evidence import FigureSource, FigureValue
from apps.core.registry import registry
from apps.core.units import unit_text
from apps.documents.xlsx import write_xlsx
from apps.organization.models import Jurisdiction
from apps.worktime import periods

logger = logging.getLogger(__name__)

# The page's permission: whoever may view the jurisdiction tree may see its totals.
JURISDICTION = "organization.jurisdiction"
# A start and an end of the user's choosing; periods.period_label names any such span by its dates.
CUSTOM = "custom"
PERIOD_CHOICES = [
    (periods.MONTH, gettext_lazy("月度")),
    (periods.QUARTER, gettext_lazy("季度")),
    (periods.YEAR, gettext_lazy("年度")),
]


# Query ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the page shows: a jurisdiction, a period (a month, quarter or year, or CUSTOM: any
    start and end) and optionally the one group to compute."""

    node: Jurisdiction
    kind: str
    start: date
    end: date
    group: str = ""

    @property
    def label(self) -> str:
        return periods.period_label(self.kind, self.start, self.end)

    def params(self, **changes) -> dict:
        """The query string of this query (with `changes`), as the page's links carry it."""
        values = {"jurisdiction": str(self.node.pk)}
        if self.kind == CUSTOM:
            values.update(start=self.start.isoformat(), end=self.end.isoformat())
        else:
            values.update(period=self.kind, on=self.start.isoformat())
        values.update({k: v for k, v in changes.items() if v is not None})
        return {k: v for k, v in values.items() if v}

    def step(self, direction: int) -> dict | None:
        """The params of the previous (-1) or next (+1) period of the same kind (not for a custom span)."""
        if self.kind == CUSTOM:
            return None
        if direction < 0:
            first = periods.previous_period(self.kind, self.start)[0]
        else:
            first = periods.period_next(self.start, self.kind)
        return {**self.params(), "on": first.isoformat()}


def query_for(node: Jurisdiction, kind: str, day: date, group: str = "") -> Query:
    """The month, quarter or year of `kind` containing `day`, for `node`."""
    start, end = periods.period_bounds(kind, day)
    return Query(node, kind, start, end, group)


def jurisdictions_for(user):
    """The jurisdictions `user` may pick: their own subtree (the whole tree for an admin)."""
    return Jurisdiction.objects.restrict(user, "view").select_related("level")


def default_node(user) -> Jurisdiction | None:
    own = getattr(user, "jurisdiction", None)
    if own is not None:
        return own
    return jurisdictions_for(user).order_by("depth", "path").first()


def children_of(user, node) -> list:
    return list(jurisdictions_for(user).filter(parent=node).order_by("path"))


# Figures, grouped ----------------------------------------------------------------------------


@dataclass
class Group:
    slug: str
    label: str
    figures: list[FigureSource] = field(default_factory=list)


def _owners() -> dict[str, str]:
    """figure key -> the label of the app that registered it."""
    return {figure.key: label for label, app in registry.apps.items() for figure in app.figures}


def _app_name(app_label: str) -> str:
    try:
        return str(django_apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def visible(user, figure: FigureSource) -> bool:
    return not figure.permission or (user is not None and user.can(figure.permission, "view"))


def figure_groups(user) -> list[Group]:
    """The figures `user` may see (all of them for None), under their `group` heading (the
    registering app's name when a figure names none), groups in the apps' order, figures by
    `order`. A group's slug is the label of the app that registered its first figure (the same
    whoever asks); groups with nothing the user may see are left out."""
    owners = _owners()
    groups: dict[str, Group] = {}
    slugs: set[str] = set()
    for figure in registry.figures():
        app_label = owners.get(figure.key, figure.key.split(".")[0])
        label = str(figure.group) if figure.group else _app_name(app_label)
        if label not in groups:
            slug, n = app_label, 2
            while slug in slugs:
                slug, n = f"{app_label}-{n}", n + 1
            slugs.add(slug)
            groups[label] = Group(slug, label)
        if user is None or visible(user, figure):
            groups[label].figures.append(figure)
    for group in groups.values():
        group.figures.sort(key=lambda figure: figure.order)  # stable: registration order breaks ties
    return [group for group in groups.values() if group.figures]


# Values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    figure: FigureSource
    value: FigureValue | None  # None: the figure raised (logged)

    @property
    def failed(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.value is None:
            return _("计算出错")
        return number(self.value.value)

    @property
    def ratio(self) -> str:
        """ "numerator/denominator" of a rate, "" when the figure gives no numerator."""
        if self.value is None or self.value.numerator is None or self.value.denominator is None:
            return ""
        return f"{number(self.value.numerator)}/{number(self.value.denominator)}"

    @property
    def detail(self) -> str:
        """What is under the value: a rate's numerator/denominator, or the figure's note."""
        if self.value is None:
            return ""
        return self.ratio or self.value.note

    @property
    def url(self) -> str:
        return self.value.url if self.value is not None else ""


def number(value: Decimal | int | None) -> str:
    """A figure as people read it: "—" for nothing, no trailing zeros ("3", "87.5")."""
    if value is None:
        return "—"
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _guarded(run, key: str, path: str, start: date, end: date):
    """`run()` in its own savepoint (a database error must not poison the rest of the page's
    transaction); an exception is logged and answers None."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                return run()
        return run()
    except Exception:
        logger.exception("Figure %s failed for %s, %s..%s", key, path, start, end)
        return None


def compute(figure: FigureSource, path: str, start: date, end: date) -> Cell:
    """One figure for one subtree; a figure that raises is logged and shown as an error cell."""

    def run():
        value = figure.compute(path, start, end)
        if not isinstance(value, FigureValue):
            raise TypeError(f"{figure.key} returned {type(value).__name__}, not a FigureValue")
        return value

    return Cell(figure, _guarded(run, figure.key, path, start, end))


def compute_all(figures: list[FigureSource], path: str, start: date, end: date) -> list[Cell]:
    """The cells of `figures` for one subtree. A figure may name in `extra["batch"]` a function
    `(path, start, end) -> {figure key: FigureValue}` that computes it with its siblings (the
    22 activity figures come from the same four aggregates): each batch runs once per subtree;
    a figure its batch did not answer (or a failed batch) is computed on its own."""
    batches: dict[Any, dict | None] = {}
    cells = []
    for figure in figures:
        batch = figure.extra.get("batch")
        if batch is not None and batch not in batches:
            batches[batch] = _guarded(lambda batch=batch: batch(path, start, end), figure.key, path, start, end)
        value = (batches.get(batch) or {}).get(figure.key) if batch is not None else None
        cells.append(Cell(figure, value) if isinstance(value, FigureValue) else compute(figure, path, start, end))
    return cells


@dataclass
class Row:
    node: Any
    cells: list[Cell]
    is_total: bool = False


def group_table(user, query: Query, group: Group) -> list[Row]:
    """The roll-up table of a group: the chosen node, then each of its direct children."""
    nodes = [(query.node, True)] + [(child, False) for child in children_of(user, query.node)]
    return [
        Row(node, compute_all(group.figures, node.path, query.start, query.end), is_total) for node, is_total in nodes
    ]


# Export (long form: one row per jurisdiction and figure) -------------------------------------


@dataclass(frozen=True)
class ExportRow:
    jurisdiction: str
    group: str
    cell: Cell
    period: str


def export_rows(user, query: Query) -> list[ExportRow]:
    """The roll-up tables of `query` (every group `user` may see, or only `query.group`)."""
    rows = []
    for group in figure_groups(user):
        if query.group and group.slug != query.group:
            continue
        for row in group_table(user, query, group):
            rows += [ExportRow(row.node.name, group.label, cell, query.label) for cell in row.cells]
    return rows


def _decimal_or_blank(value):
    return "" if value is None else float(value)


def export_columns():
    return [
        (gettext_lazy("辖区"), lambda r: r.jurisdiction),
        (gettext_lazy("分组"), lambda r: r.group),
        (gettext_lazy("指标"), lambda r: str(r.cell.figure.label)),
        (gettext_lazy("数值"), lambda r: _("计算出错") if r.cell.failed else _decimal_or_blank(r.cell.value.value)),
        (gettext_lazy("单位"), lambda r: unit_text(r.cell.figure.unit)),
        (gettext_lazy("分子"), lambda r: "" if r.cell.failed else _decimal_or_blank(r.cell.value.numerator)),
        (gettext_lazy("分母"), lambda r: "" if r.cell.failed else _decimal_or_blank(r.cell.value.denominator)),
        (gettext_lazy("说明"), lambda r: "" if r.cell.failed else r.cell.value.note),
        (gettext_lazy("统计期"), lambda r: r.period),
        (gettext_lazy("指标代码"), lambda r: r.cell.figure.key),
    ]


def totals_xlsx(user, query: Query) -> bytes:
    """The roll-up tables as .xlsx through the shared writer (text is neutralised against formulas).

    One row per jurisdiction and figure: the chosen node and its direct children times the
    figures `user` may see. The table is bounded by that product, so it is written at once
    rather than as a background export job."""
    return write_xlsx(export_rows(user, query), export_columns())
