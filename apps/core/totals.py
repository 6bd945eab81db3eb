"""数据汇总: every figure the apps registered (apps/core/evidence.py), for a jurisdiction and a period.

The page never imports an app: it reads `registry.figures()` and calls each figure's
`compute(path, start, end)` for the chosen node and for each of its direct children (the
roll-up table). A figure's own `url` links to the records it counted.

Roll-up rule (the apps' figures implement it, this page only shows it): a record counts once in
every node whose subtree holds its owner jurisdiction (or, for activities, an area it covered),
so a record covering two communities counts once in each and once in the street; the children
may therefore sum to more than their parent.

Core sits below the organisation and worktime apps (pyproject's layers contract), so this
module names the jurisdiction model by its label and cuts month/quarter/year itself, as
apps/worktime/periods.py does (a test holds the two to the same bounds and labels). The
.xlsx goes through the export handler apps.imports registers (views_base.EXPORT_HANDLERS).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .evidence import FigureSource, FigureValue
from .filters import ChoiceFilter, DateFilter, IntegerFilter, StrictFilterSet
from .registry import registry

logger = logging.getLogger(__name__)

# The page's permission: whoever may view the jurisdiction tree may see its totals.
JURISDICTION = "organization.jurisdiction"
MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_CHOICES = [
    (MONTH, gettext_lazy("月度")),
    (QUARTER, gettext_lazy("季度")),
    (YEAR, gettext_lazy("年度")),
]


# Periods (the same cut and names as apps/worktime/periods.py) ---------------------------------


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or year containing `day`, as (first day, last day)."""
    if kind == YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = 3 * ((day.month - 1) // 3) + 1 if kind == QUARTER else day.month
    start = date(day.year, first_month, 1)
    months = 3 if kind == QUARTER else 1
    following = start.month - 1 + months
    end = date(start.year + following // 12, following % 12 + 1, 1) - timedelta(days=1)
    return start, end


def period_label(kind: str, start: date, end: date) -> str:
    if kind == MONTH:
        return _("{year}年{month}月").format(year=start.year, month=start.month)
    if kind == QUARTER:
        return _("{year}年第{quarter}季度").format(year=start.year, quarter=(start.month - 1) // 3 + 1)
    if kind == YEAR:
        return _("{year}年度").format(year=start.year)
    return _("{start}至{end}").format(start=start.strftime("%Y.%m.%d"), end=end.strftime("%Y.%m.%d"))


# Input ---------------------------------------------------------------------------------------


def _group_choices():
    return [(group.slug, group.slug) for group in figure_groups(None)]


class TotalsFilterSet(StrictFilterSet):
    """The page's query: `jurisdiction` (an id; outside the user's subtree → 404, in the view),
    `period` with a day `on` inside it, or `start` and `end` (both), and a `group` to compute."""

    jurisdiction = IntegerFilter(label=gettext_lazy("辖区"), method="keep")
    period = ChoiceFilter(label=gettext_lazy("周期"), choices=PERIOD_CHOICES, method="keep")
    on = DateFilter(label=gettext_lazy("所在日期"), method="keep")
    start = DateFilter(label=gettext_lazy("开始日期"), method="keep")
    end = DateFilter(label=gettext_lazy("结束日期"), method="keep")
    group = ChoiceFilter(label=gettext_lazy("分组"), choices=_group_choices, method="keep")

    date_ranges = (("start", "end"),)

    def get_form_class(self):
        base = super().get_form_class()

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                if bool(cleaned.get("start")) != bool(cleaned.get("end")) and not self.errors:
                    message = _("自定义期间请同时填写「开始日期」和「结束日期」。")
                    raise ValidationError(message, code="incomplete_range")
                return cleaned

        return Form

    def keep(self, qs, name, value):
        return qs


@dataclass(frozen=True)
class Query:
    node: Any  # a Jurisdiction
    kind: str
    start: date
    end: date
    group: str = ""

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start, self.end)

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
        day = self.start - timedelta(days=1) if direction < 0 else self.end + timedelta(days=1)
        return {**self.params(), "on": period_bounds(self.kind, day)[0].isoformat()}


def jurisdictions_for(user):
    """The jurisdictions `user` may pick: their own subtree (the whole tree for an admin)."""
    model = django_apps.get_model(JURISDICTION)
    return model.objects.restrict(user, "view").select_related("level")


def default_node(user):
    own = getattr(user, "jurisdiction", None)
    if own is not None:
        return own
    return jurisdictions_for(user).order_by("depth", "path").first()


def read_query(user, data) -> Query:
    """The page's query from GET `data`: InvalidFilters (400) for malformed input, Http404 for a
    jurisdiction outside the user's subtree."""
    params = TotalsFilterSet(data, jurisdictions_for(user), user=user).params()
    if params.get("jurisdiction") is not None:
        node = jurisdictions_for(user).filter(pk=params["jurisdiction"]).first()
    else:
        node = default_node(user)
    if node is None:
        raise Http404
    group = params.get("group") or ""
    if params.get("start") and params.get("end"):
        return Query(node, CUSTOM, params["start"], params["end"], group)
    kind = params.get("period") or MONTH
    start, end = period_bounds(kind, params.get("on") or timezone.localdate())
    return Query(node, kind, start, end, group)


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


def compute(figure: FigureSource, path: str, start: date, end: date) -> Cell:
    """One figure for one subtree; a figure that raises is logged and shown as an error cell."""
    try:
        if connection.in_atomic_block:
            # A database error must not poison the rest of the page's transaction.
            with transaction.atomic():
                value = figure.compute(path, start, end)
        else:
            value = figure.compute(path, start, end)
        if not isinstance(value, FigureValue):
            raise TypeError(f"{figure.key} returned {type(value).__name__}, not a FigureValue")
        return Cell(figure, value)
    except Exception:
        logger.exception("Figure %s failed for %s, %s..%s", figure.key, path, start, end)
        return Cell(figure, None)


@dataclass
class Row:
    node: Any
    cells: list[Cell]
    is_total: bool = False


def group_table(user, query: Query, group: Group) -> list[Row]:
    """The roll-up table of a group: the chosen node, then each of its direct children."""
    nodes = [(query.node, True)] + [(child, False) for child in children_of(user, query.node)]
    return [
        Row(node, [compute(figure, node.path, query.start, query.end) for figure in group.figures], is_total)
        for node, is_total in nodes
    ]


# Export (long form: one row per jurisdiction and figure) -------------------------------------


@dataclass(frozen=True)
class ExportRow:
    jurisdiction: str
    group: str
    cell: Cell
    period: str


def export_rows(user, filters: dict) -> list[ExportRow]:
    """The roll-up tables of the query in `filters` (every visible group, or its `group`)."""
    query = read_query(user, filters)
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
        (gettext_lazy("单位"), lambda r: str(r.cell.figure.unit)),
        (gettext_lazy("分子"), lambda r: "" if r.cell.failed else _decimal_or_blank(r.cell.value.numerator)),
        (gettext_lazy("分母"), lambda r: "" if r.cell.failed else _decimal_or_blank(r.cell.value.denominator)),
        (gettext_lazy("说明"), lambda r: "" if r.cell.failed else r.cell.value.note),
        (gettext_lazy("统计期"), lambda r: r.period),
        (gettext_lazy("指标代码"), lambda r: r.cell.figure.key),
    ]
