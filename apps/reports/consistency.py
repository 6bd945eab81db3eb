"""一致性核对: before a document is exported, the figures it quotes are checked against the other
records, and every contradiction is listed for a person to resolve instead of being printed
(issue 15 item 4). The draft page shows the list (templates/reports/_inconsistencies.html); the
export refuses a document while `blocking` names any.

`find_inconsistencies(node, start, end, figure_keys, values)` runs three kinds of check for the
jurisdiction `node` and the period:

(a) Rates. A figure in "%" above 100, or whose numerator exceeds its denominator (more households
    bought than were visited), is impossible whatever the records say elsewhere.
(b) The roll-up rule (apps/reports/totals.py): a record counts in its own jurisdiction and in every
    ancestor, so a direct child can never have more of an ADDITIVE figure than its parent; when
    one does, records contradict each other (a record filed under a child that its parent's
    count misses). Additive are the counts and sums of records, recognised by their unit
    (`ADDITIVE_UNITS`: 次, 件, 份, 户, 人次, 吨, 平方米 …); rates, scores (分), grades (级),
    indices (no unit) and densities (处/km, 只/间 …) are not, since an average of a part can be
    above the whole's. A figure may say otherwise with `extra={"additive": True/False}`. The
    children's values come from `totals.compute_all` (each batch once per child).
(c) Every app's registered `ConsistencyCheck` (apps/core/reporting.py) for the subtree: two
    populations for one community, more households covered than live there …

Each `Inconsistency` names the figure keys it affects and links to the records to fix: the
figure's own page (`FigureValue.url`) or, for a figure without one, the jurisdiction's edit page.

Blocking: `blocking(inconsistencies, keys_in_text)` gives those that stop the export of a text
quoting `keys_in_text`: the ones naming a quoted figure. An item naming no quoted figure (record
level, e.g. households recorded above the population, or a figure the text no longer quotes) is
listed as a warning on the draft and does not block (`warnings`): the document prints none of
its numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from apps.core import evidence
from apps.core.evidence import FigureSource, FigureValue
from apps.core.reporting import Inconsistency, consistency_checks
from apps.core.units import unit_text
from apps.organization.models import Jurisdiction

from .totals import compute_all, number

logger = logging.getLogger(__name__)

RATE_UNIT = "%"
HUNDRED = Decimal(100)

# Units (as declared, in Chinese) of figures that count or sum records: the roll-up rule holds
# for them (a child never exceeds its parent). Everything else is left to (a) or to the apps.
ADDITIVE_UNITS = frozenset(
    {
        "次",
        "件",
        "份",
        "户",
        "人",
        "人次",
        "项",
        "个",
        "家",
        "处",
        "条",
        "块",
        "张",
        "册",
        "场",
        "辆",
        "座",
        "车",
        "间",
        "只",
        "袋",
        "瓶",
        "吨",
        "米",
        "平方米",
        "小时",
        "kg",
        "L",
    }
)


def declared_unit(figure: FigureSource) -> str:
    """The figure's unit as declared (the Chinese msgid, whatever language is active)."""
    with translation.override(None):
        return str(figure.unit or "")


def is_rate(figure: FigureSource) -> bool:
    return declared_unit(figure) == RATE_UNIT


def is_additive(figure: FigureSource) -> bool:
    """Whether the roll-up rule applies: `extra["additive"]` when the figure sets it, else its unit."""
    if "additive" in figure.extra:
        return bool(figure.extra["additive"])
    return declared_unit(figure) in ADDITIVE_UNITS


def amount(value: Decimal | None, figure: FigureSource) -> str:
    """A value with its unit in the reader's language: "2650 人", "120%", "3 times"."""
    text = number(value)
    unit = unit_text(figure.unit)
    if not unit or value is None:
        return text
    return f"{text}{unit}" if unit == RATE_UNIT else f"{text} {unit}"


def _edit_url(node: Jurisdiction) -> str:
    return reverse("organization:jurisdiction_update", args=[node.pk])


def _guarded(run, what: str, node: Jurisdiction):
    """`run()` in its own savepoint; an exception is logged and answers None."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                return run()
        return run()
    except Exception:
        logger.exception("Consistency check %s failed for %s", what, node.path)
        return None


# (a) Rates ------------------------------------------------------------------------------------


def rate_inconsistencies(node: Jurisdiction, figures: list[FigureSource], values: dict[str, FigureValue]):
    """Rates above 100 % or with a numerator above the denominator."""
    for figure in figures:
        found = values.get(figure.key)
        if found is None or not is_rate(figure):
            continue
        inverted = found.numerator is not None and found.denominator is not None and found.numerator > found.denominator
        if inverted:
            message = gettext("{node}：{label}的分子 {numerator} 多于分母 {denominator}（{value}），比率不能超过 100%")
        elif found.value is not None and found.value > HUNDRED:
            message = gettext("{node}：{label}为 {value}，比率不能超过 100%")
        else:
            continue
        yield Inconsistency(
            message.format(
                node=node.name,
                label=str(figure.label),
                value=amount(found.value, figure),
                numerator=number(found.numerator),
                denominator=number(found.denominator),
            ),
            (figure.key,),
            found.url or _edit_url(node),
            node.path,
        )


# (b) A child above its parent -----------------------------------------------------------------


def child_inconsistencies(
    node: Jurisdiction, start: date, end: date, figures: list[FigureSource], values: dict[str, FigureValue]
):
    """The direct children holding more of an additive figure than `node`: one `compute_all` per
    child over the additive figures whose value at `node` is known."""
    additive = [
        figure
        for figure in figures
        if is_additive(figure) and values.get(figure.key) is not None and values[figure.key].value is not None
    ]
    if not additive:
        return []
    found = []
    for child in Jurisdiction.objects.filter(parent=node).order_by("path").only("pk", "name", "path"):
        for cell in compute_all(additive, child.path, start, end):
            figure, own = cell.figure, values[cell.figure.key]
            if cell.failed or cell.value.value is None or cell.value.value <= own.value:
                continue
            found.append(
                Inconsistency(
                    gettext(
                        "{child}：{label} {child_value}，多于上级{node}的 {node_value}"
                        "（下级的记录都计入上级，下级不应多于上级）"
                    ).format(
                        child=child.name,
                        label=str(figure.label),
                        child_value=amount(cell.value.value, figure),
                        node=node.name,
                        node_value=amount(own.value, figure),
                    ),
                    (figure.key,),
                    cell.value.url or own.url or _edit_url(child),
                    child.path,
                )
            )
    order = {figure.key: index for index, figure in enumerate(additive)}
    return sorted(found, key=lambda item: order[item.figure_keys[0]])


# (c) The apps' checks -------------------------------------------------------------------------


def record_inconsistencies(node: Jurisdiction, start: date, end: date):
    """Every registered check for the subtree; a check that fails is listed as not done."""
    for check in consistency_checks():
        items = _guarded(lambda check=check: list(check.find(node.path, start, end)), check.key, node)
        if items is None:
            yield Inconsistency(
                gettext("“{label}”核对出错，未能完成核对").format(label=str(check.label)),
                (),
                "",
                node.path,
            )
            continue
        yield from items


# The whole ------------------------------------------------------------------------------------


def find_inconsistencies(
    node: Jurisdiction,
    start: date,
    end: date,
    figure_keys: list[str],
    values: dict[str, FigureValue] | None = None,
) -> list[Inconsistency]:
    """The contradictions a document of `node` for [start, end] quoting `figure_keys` must show:
    (a) impossible rates and (b) children above their parent among the quoted figures, then (c)
    every app's record checks for the subtree (listed whatever the text quotes; `blocking` says
    which stop the export). `values` are the node's figure values the caller already computed
    (the generator has them); the ones missing are computed here. Unknown keys are ignored."""
    sources = evidence.figures()
    figures = [sources[key] for key in dict.fromkeys(figure_keys) if key in sources]
    known = dict(values or {})
    missing = [figure for figure in figures if figure.key not in known]
    if missing:
        known.update({cell.figure.key: cell.value for cell in compute_all(missing, node.path, start, end)})
    known = {key: value for key, value in known.items() if value is not None}
    return [
        *rate_inconsistencies(node, figures, known),
        *child_inconsistencies(node, start, end, figures, known),
        *record_inconsistencies(node, start, end),
    ]


def blocking(inconsistencies: Iterable[Inconsistency], keys_in_text: Iterable[str]) -> list[Inconsistency]:
    """The items that stop the export of a text quoting `keys_in_text`: those naming a quoted
    figure. Items naming none (record-level contradictions, or figures the text does not quote)
    are warnings only (`warnings`)."""
    quoted = set(keys_in_text)
    return [item for item in inconsistencies if quoted.intersection(item.figure_keys)]


def warnings(inconsistencies: Iterable[Inconsistency], keys_in_text: Iterable[str]) -> list[Inconsistency]:
    """The items listed on the draft that do not stop its export (the complement of `blocking`)."""
    quoted = set(keys_in_text)
    return [item for item in inconsistencies if not quoted.intersection(item.figure_keys)]
