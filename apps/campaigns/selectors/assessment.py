"""Reads of the self-assessment (自查) and the gap list (缺什么、补什么).

Both pages show every item of the campaign's standard with its result, its ledger readiness
and its indicators. An indicator with a `figure_key` takes the system's own figure from the
registry (apps/core/evidence.figures(), which other apps fill: campaigns never import them)
for the campaign's jurisdiction from its start to today; an unknown key (the app that computes
it is not installed) or a failing computation reads "暂无此项系统数据". An indicator without
a figure shows its threshold only: the assessor writes the measured value in the item's note.

A user who works in a part of the campaign only (a community on its street's campaign,
apps/campaigns/areas.py) sees the items that concern its area (as on the ledger tab), their
readiness counted in its area and the figures computed for its area; the score totals stay the
campaign's own (there is one self-assessment per campaign), and the page says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.evidence import FigureValue, figures
from apps.standards.models import StandardIndicator

from .. import scoring
from ..areas import WHOLE, area_path, user_part
from ..choices import AssessmentResult, TaskStatus
from ..models import Campaign, ItemAssessment, Task
from .ledger import area_item_ids, campaign_items, item_readiness

logger = logging.getLogger(__name__)

OPEN_TASK = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


@dataclass
class IndicatorRow:
    indicator: StandardIndicator
    figure_label: str = ""
    value: FigureValue | None = None
    known: bool = True  # False: the figure key names no registered figure (or it failed)
    meets: bool | None = None
    shortfall: object = None


@dataclass
class ItemRow:
    item: object
    assessment: ItemAssessment | None
    readiness: object
    indicators: list[IndicatorRow] = field(default_factory=list)
    open_tasks: list[Task] = field(default_factory=list)

    @property
    def mark(self) -> scoring.Mark:
        a = self.assessment
        return scoring.Mark(as_item(self.item), a.result if a else None, a.score if a else None)

    @property
    def is_gap(self) -> bool:
        """Unmet, partly met, unassessed, short of evidence or of an indicator's threshold."""
        a = self.assessment
        return (
            a is None
            or a.result != AssessmentResult.MET
            or not self.readiness.ready
            or any(row.meets is False for row in self.indicators)
        )


def as_item(item) -> scoring.Item:
    return scoring.Item(item.pk, item.code, item.kind, item.points)


def compute_figures(
    keys, campaign: Campaign, today: date | None = None, path: str | None = None
) -> dict[str, tuple[object, FigureValue | None]]:
    """{key: (FigureSource or None, FigureValue or None)} for `path` (the campaign's area when
    None) and the campaign's period."""
    path = path or campaign.jurisdiction.path
    registered = figures()
    today = today or timezone.localdate()
    out = {}
    for key in sorted(set(keys)):
        source = registered.get(key)
        if source is None:
            out[key] = (None, None)
            continue
        try:
            out[key] = (source, source.compute(path, campaign.starts_on, today))
        except Exception:  # another app's figure must not break the page
            logger.exception("figure %s failed for campaign %s", key, campaign.pk)
            out[key] = (None, None)
    return out


def indicator_row(indicator: StandardIndicator, computed: dict) -> IndicatorRow:
    if not indicator.figure_key:
        return IndicatorRow(indicator)
    source, value = computed.get(indicator.figure_key, (None, None))
    if source is None:
        return IndicatorRow(indicator, known=False)
    figure = value.value if value is not None else None
    return IndicatorRow(
        indicator,
        figure_label=str(source.label),
        value=value,
        meets=indicator.meets(figure),
        shortfall=scoring.shortfall(indicator.comparator, indicator.threshold, figure),
    )


def assessment_rows(*, campaign: Campaign, user=None, today: date | None = None, item_ids=None) -> list[ItemRow]:
    """Every item of the campaign's standard in order (or only `item_ids`; for a user working in
    a part of the campaign only the items that concern it), prerequisites first, with its
    assessment, readiness and indicators (figures filled, for the user's area) and the open tasks
    of the item the user may see."""
    part = user_part(user, campaign) if user is not None else WHOLE
    items = campaign_items(campaign).prefetch_related("indicators")
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    items = list(items)
    if item_ids is None and not part.whole:
        relevant = area_item_ids(campaign, part)
        items = [item for item in items if item.pk in relevant]
    ids = [i.pk for i in items]
    assessments = {
        a.item_id: a
        for a in ItemAssessment.objects.filter(campaign=campaign, item_id__in=ids).select_related("assessed_by")
    }
    ready = item_readiness(campaign=campaign, jurisdiction_path=part, item_ids=ids)
    keys = [ind.figure_key for item in items for ind in item.indicators.all() if ind.figure_key]
    computed = compute_figures(keys, campaign, today, path=figure_path(user, campaign)) if keys else {}
    tasks = Task.objects.filter(campaign=campaign, item_id__in=ids, status__in=OPEN_TASK)
    tasks = (tasks.restrict(user, "view") if user is not None else tasks).select_related("jurisdiction")
    by_item: dict[int, list[Task]] = {}
    for task in tasks.order_by("deadline", "id"):
        by_item.setdefault(task.item_id, []).append(task)
    rows = [
        ItemRow(
            item=item,
            assessment=assessments.get(item.pk),
            readiness=ready[item.pk],
            indicators=[indicator_row(ind, computed) for ind in item.indicators.all()],
            open_tasks=by_item.get(item.pk, []),
        )
        for item in items
    ]
    rows.sort(key=lambda row: not row.item.is_prerequisite)  # stable: the standard's order otherwise
    return rows


def figure_path(user, campaign: Campaign) -> str:
    """Where the figures are computed: the user's area of the campaign (the campaign's when whole)."""
    if user is None:
        return campaign.jurisdiction.path
    return area_path(user, campaign) or campaign.jurisdiction.path


def scope_area(user, campaign: Campaign):
    """The area the page is limited to (a community on its street's campaign), None when whole."""
    if user is None or user_part(user, campaign).whole:
        return None
    path = area_path(user, campaign)
    return user.jurisdiction if path and path != campaign.jurisdiction.path else None


def campaign_marks(campaign: Campaign) -> list[scoring.Mark]:
    """Every item's mark of the campaign (the score totals; two queries)."""
    results = {
        a["item_id"]: a for a in ItemAssessment.objects.filter(campaign=campaign).values("item_id", "result", "score")
    }
    marks = []
    for item in campaign_items(campaign):
        a = results.get(item.pk)
        marks.append(scoring.Mark(as_item(item), a["result"] if a else None, a["score"] if a else None))
    return marks


def assessment_overview(*, campaign: Campaign, user=None, today: date | None = None) -> dict:
    """The self-assessment page: totals, prerequisites and the items grouped by section. For a
    user working in a part of the campaign the rows and readiness are its area's (`scope_area`)
    and the score totals the whole campaign's."""
    rows = assessment_rows(campaign=campaign, user=user, today=today)
    area = scope_area(user, campaign)
    totals = scoring.totals(campaign_marks(campaign) if area is not None else [row.mark for row in rows])
    ready = sum(1 for row in rows if row.readiness.ready)
    prerequisites = [row for row in rows if row.item.is_prerequisite]
    sections: list[tuple[object, list[ItemRow]]] = []
    for row in rows:
        if row.item.is_prerequisite:
            continue
        if not sections or sections[-1][0] != row.item.section:
            sections.append((row.item.section, []))
        sections[-1][1].append(row)
    return {
        "rows": rows,
        "totals": totals,
        "prerequisites": prerequisites,
        "sections": sections,
        "readiness_percent": scoring.percent(ready, len(rows)) if rows else None,
        "ready_items": ready,
        "scope_area": area,
    }


def gap_rows(*, campaign: Campaign, user=None, today: date | None = None) -> list[ItemRow]:
    """The gap list: every item that is not 达标, not assessed, short of evidence or short of an
    indicator's threshold; prerequisites first (then the standard's order)."""
    return [row for row in assessment_rows(campaign=campaign, user=user, today=today) if row.is_gap]


def gap_description(row: ItemRow) -> str:
    """What is missing of an item, in words (the gap task's description and the case's text)."""
    parts = []
    a = row.assessment
    if a is None:
        parts.append(_("尚未自查"))
    elif a.result != AssessmentResult.MET:
        parts.append(_("自查结果：{result}").format(result=a.get_result_display()))
        if a.note:
            parts.append(a.note)
    for missing in row.readiness.missing:
        name = missing.name or _("任意资料")
        parts.append(
            _("缺少资料：{name}（{have}/{needed}）").format(name=name, have=missing.have, needed=missing.needed)
        )
    for ind in row.indicators:
        if ind.meets is False:
            parts.append(
                _("{name}未达标：{value}{unit}，要求{comparator}{threshold}{unit}").format(
                    name=ind.indicator.name,
                    value=ind.value.value,
                    unit=ind.indicator.unit,
                    comparator=ind.indicator.get_comparator_display(),
                    threshold=ind.indicator.threshold,
                )
            )
    return pgettext("separator", "；").join(str(p) for p in parts)


def item_row(*, campaign: Campaign, item, user=None) -> ItemRow:
    """One item's row (the single-item page and the gap actions): only that item and its figures."""
    for row in assessment_rows(campaign=campaign, user=user, item_ids=[item.pk]):
        return row
    raise LookupError(item.pk)


def campaign_item_or_none(campaign: Campaign, item_pk):
    try:
        return campaign_items(campaign).get(pk=item_pk)
    except (ValueError, TypeError, campaign_items(campaign).model.DoesNotExist):
        return None
