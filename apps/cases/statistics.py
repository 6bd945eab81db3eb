"""Case KPIs (GB/T 30428 style) per jurisdiction, unit, category or period, for one user's scope.

The population is always "cases created in the period" (案件以上报时间归属统计期): a case
reported on 30 November counts in November even when it is closed in December. The
period is the local dates `start`..`end`, both included.

Counts (each is a subset of the population, so every rate stays within 0–100 %):

- 上报数 ``reported``: every case created in the period, whatever became of it.
- 立案数 ``registered``: cases with ``registered_at`` set, i.e. that reached 已立案 or any
  later status. Reports rejected (不予立案) or voided/merged before registration never get
  ``registered_at``; a case voided after registration still counts as registered.
- 派遣数 ``dispatched``: cases with ``dispatched_at`` set (sent to a unit or person at least once).
- 应结案数 ``due``: cases that are closed, or whose ``deadline_at`` fell in the period and has
  passed (``deadline_at`` < min(end of the period, now)). "The period" is the whole
  statistics period for every row, also for day/week/month rows (a case reported in week
  10 with its deadline in week 12 is due in week 10's row when week 12 is inside the
  period), so that the rows add up to the totals whatever the grouping.
- 按期处置数 ``handled_on_time``: cases with ``handled_on_time`` true (the last 处置反馈
  came before the deadline then in force; only dispatched cases are ever handled).
- 结案数 ``closed``: cases with status 已结案 (核查通过; ``closed_at`` set).
- 按期结案数 ``closed_on_time``: closed cases with ``closed_on_time`` true.
- 返工数 ``returned_for_rework``: dispatched cases with ``rework_count`` > 0 (核查不通过 at least once).
- 重复发生数 ``recurrences``: cases with ``is_recurrence`` (前清后涂: same category and place
  within CASE_RECURRENCE_DAYS of a closure).

Rates (Decimal percentages with one decimal, rounded half up; None when the denominator is 0):

- 立案率 ``registration_rate`` = 立案数 / 上报数 × 100
- 按期处置率 ``on_time_handling_rate`` = 按期处置数 / 派遣数 × 100
- 结案率 ``closure_rate`` = 结案数 / 应结案数 × 100
- 按期结案率 ``on_time_closure_rate`` = 按期结案数 / 应结案数 × 100
- 返工率 ``rework_rate`` = 返工数 / 派遣数 × 100

平均结案时长 ``avg_close_hours`` = Σ(closed_at − created_at) / 结案数, in hours with one
decimal (None without closed cases).

Whole months of a subtree are read from the rollups (apps/cases/rollups.py, whose
`case_counts` are the definitions above as aggregates over raw cases); the other days of a
period and 应结案数's live part from the cases. The page costs a constant number of queries at
any number of cases, and for the jurisdiction grouping reads no case row for whole months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, DateTimeField, F, Min, Q, Sum
from django.db.models.functions import Substr, Trunc
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.roles import Role, role_allows
from apps.documents.xlsx import write_xlsx
from apps.organization.models import Jurisdiction, Unit
from apps.worktime.periods import local_midnight, period_label, period_next, period_start

from . import rollups
from .choices import CaseStatus
from .models import Case, CaseRollup, Category

GROUPINGS = ("jurisdiction", "unit", "category", "day", "week", "month")
PERIOD_GROUPINGS = {"day": "day", "week": "week", "month": "month"}
TOTAL_KEY = "total"
NO_UNIT_KEY = "none"
OTHER_KEY = "other"
SELF_PREFIX = "self:"

COUNT_FIELDS = (
    "reported",
    "registered",
    "dispatched",
    "due",
    "handled_on_time",
    "closed",
    "closed_on_time",
    "returned_for_rework",
    "recurrences",
)

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def _rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage with one decimal; None when nothing to divide by."""
    if not denominator:
        return None
    value = (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return min(value, HUNDRED.quantize(ONE_DECIMAL))


@dataclass
class StatRow:
    """One line of the statistics table; the rates are derived from the counts (see module docstring)."""

    key: str
    label: str
    reported: int = 0
    registered: int = 0
    dispatched: int = 0
    due: int = 0
    handled_on_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    returned_for_rework: int = 0
    recurrences: int = 0
    close_seconds: float = 0.0  # Σ(closed_at − created_at) over the closed cases, for the mean
    is_total: bool = False

    @property
    def registration_rate(self) -> Decimal | None:
        """立案率 = 立案数 / 上报数."""
        return _rate(self.registered, self.reported)

    @property
    def on_time_handling_rate(self) -> Decimal | None:
        """按期处置率 = 按期处置数 / 派遣数."""
        return _rate(self.handled_on_time, self.dispatched)

    @property
    def closure_rate(self) -> Decimal | None:
        """结案率 = 结案数 / 应结案数."""
        return _rate(self.closed, self.due)

    @property
    def on_time_closure_rate(self) -> Decimal | None:
        """按期结案率 = 按期结案数 / 应结案数."""
        return _rate(self.closed_on_time, self.due)

    @property
    def rework_rate(self) -> Decimal | None:
        """返工率 = 返工数 / 派遣数."""
        return _rate(self.returned_for_rework, self.dispatched)

    @property
    def avg_close_hours(self) -> Decimal | None:
        """平均结案时长 = Σ(closed_at − created_at) / 结案数, in hours."""
        if not self.closed:
            return None
        hours = Decimal(str(self.close_seconds)) / Decimal(3600) / Decimal(self.closed)
        return hours.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    def add(self, other: StatRow) -> None:
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.close_seconds += other.close_seconds


# Scope -------------------------------------------------------------------------------------


def _resolve_node(user, jurisdiction) -> Jurisdiction | None:
    """The jurisdiction the statistics are about: the chosen one (must be in scope) or the user's own.

    None means "everything the user may see" (an admin bound to no node, or a unit contact,
    whose scope is their unit rather than a territory).
    """
    if jurisdiction is not None and jurisdiction != "":
        pk = jurisdiction.pk if isinstance(jurisdiction, Jurisdiction) else jurisdiction
        node = Jurisdiction.objects.restrict(user, "view").filter(pk=pk).first() if str(pk).isdigit() else None
        if node is None:
            raise OutsideJurisdiction()
        return node
    if user.role == Role.UNIT_CONTACT:
        return None
    return user.jurisdiction if user.jurisdiction_id else None


def due_before(end: date, now: datetime | None = None) -> datetime:
    """The moment before which a deadline counts as due for a period ending on `end` (never the future)."""
    return min(local_midnight(end + timedelta(days=1)), now or timezone.now())


def _row_from(values: dict, key: str, label: str) -> StatRow:
    """A row from aggregated values: raw (`close_time`, a duration) or rollup (`close_seconds`)."""
    close_time = values.get("close_time")
    close_seconds = close_time.total_seconds() if close_time else float(values.get("close_seconds") or 0)
    return StatRow(
        key=key, label=label, close_seconds=close_seconds, **{name: values.get(name) or 0 for name in COUNT_FIELDS}
    )


# Sources -----------------------------------------------------------------------------------
#
# Each grouping folds "contributions": (group value, StatRow) pairs, from three sources that
# never overlap: the rollups (whole months), the raw cases (the days of a period outside whole
# months, and every query of a scope that is not a subtree), and, for 应结案数, the unclosed cases
# whose deadline has passed (always raw: it depends on the moment of reading; index
# cases_case_open_deadline_idx). 应结案数 = 结案数 + that live part.

RAW_GROUP = {
    "jurisdiction": F("jurisdiction__path"),
    "unit": F("assignee_unit_id"),
    "category": F("category_id"),
    "period": Trunc("created_at", "day", output_field=DateTimeField(), tzinfo=timezone.get_current_timezone()),
}
ROLLUP_DIMENSION = {"jurisdiction": "all", "unit": "unit", "category": "category", "period": "day"}
ROLLUP_GROUP = {"jurisdiction": F("node__path"), "unit": F("key"), "category": F("key")}


def _created_within(qs, first: date, last: date):
    """The cases of `qs` created on the local days first..last."""
    return qs.filter(created_at__gte=local_midnight(first), created_at__lt=local_midnight(last + timedelta(days=1)))


def _local_day(moment) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _raw_contributions(qs, dimension: str, aggregates: dict) -> list[tuple]:
    found = []
    for values in qs.values(g=RAW_GROUP[dimension]).annotate(**aggregates).order_by():
        group = _local_day(values["g"]) if dimension == "period" else values["g"]
        found.append((group, _row_from(values, "", "")))
    return found


def _child_path(node: Jurisdiction | None):
    """A rollup row's node path cut to the length of `node`'s children's paths (fixed-width
    segments, Jurisdiction.child_path): the database sums per child, not per node below it."""
    length = len(node.path if node is not None else "") + len(Jurisdiction.child_path("", 0))
    return Substr("node__path", 1, length)


def _rollup_contributions(node: Jurisdiction | None, months: list[date], dimension: str) -> list[tuple]:
    rows = rollups.rollup_dimension(ROLLUP_DIMENSION[dimension], months)
    if node is not None:
        rows = rows.filter(node__path__within=node.path)
    if dimension == "period":
        grouped = rows.values("month", "key").annotate(**rollups.rollup_sums()).order_by()
        return [(v["month"].replace(day=v["key"]), _row_from(v, "", "")) for v in grouped]
    group = _child_path(node) if dimension == "jurisdiction" else ROLLUP_GROUP[dimension]
    grouped = rows.values(g=group).annotate(**rollups.rollup_sums()).order_by()
    none_key = (lambda g: g or None) if dimension == "unit" else (lambda g: g)
    return [(none_key(v["g"]), _row_from(v, "", "")) for v in grouped]


def _in_subtree(qs, node: Jurisdiction):
    """Cases of a subtree as `jurisdiction_id IN (the subtree's ids)`, so that PostgreSQL walks
    a (jurisdiction, created_at) index once per node instead of joining the period's every case
    to its path."""
    return qs.filter(jurisdiction_id__in=Jurisdiction.objects.filter(path__within=node.path).values("id"))


def _due_contributions(qs, dimension: str, due_before: datetime) -> list[tuple]:
    """The unclosed cases whose deadline has passed, as `due` (the rest of 应结案数 is 结案数)."""
    live = qs.exclude(status=CaseStatus.CLOSED).filter(deadline_at__isnull=False, deadline_at__lt=due_before)
    found = []
    for values in live.values(g=RAW_GROUP[dimension]).annotate(n=Count("id")).order_by():
        group = _local_day(values["g"]) if dimension == "period" else values["g"]
        found.append((group, StatRow(key="", label="", due=values["n"])))
    return found


def _all_due_contributions(qs, node, months: list[date], rest, dimension: str, due_before: datetime) -> list:
    """应结案数's live part of a period: for whole months of the jurisdiction grouping, the
    rollups' "deadline" rows before the cut's day plus the cases due earlier that same day;
    everything else from the cases."""
    if not months or dimension != "jurisdiction":
        return _due_contributions(qs, dimension, due_before)
    cut_day = timezone.localtime(due_before).date()
    rows = rollups.rollup_dimension("deadline", months).filter(key__lt=cut_day.toordinal())
    if node is not None:
        rows = rows.filter(node__path__within=node.path)
    found = [
        (v["g"], StatRow(key="", label="", due=v["n"] or 0))
        for v in rows.values(g=_child_path(node)).annotate(n=Sum("reported")).order_by()
    ]
    day_start = local_midnight(cut_day)
    if day_start < due_before:  # the cut falls within a day: that day's deadlines before it
        in_months = qs.filter(
            created_at__gte=local_midnight(months[0]),
            created_at__lt=local_midnight(rollups.next_month(months[-1])),
            deadline_at__gte=day_start,
        )
        found += _due_contributions(in_months, dimension, due_before)
    for first, last in rest:
        found += _due_contributions(_created_within(qs, first, last), dimension, due_before)
    return found


def _contributions(qs, node, months: list[date], rest, dimension: str, due_before: datetime) -> list:
    """Every contribution of a period: whole `months` from the rollups, the `rest` of its days
    from the cases (`qs`, already the period's cases in scope), and 应结案数's live part."""
    contributions = _rollup_contributions(node, months, dimension) if months else []
    for first, last in rest:
        contributions += _raw_contributions(_created_within(qs, first, last), dimension, rollups.case_counts())
    return contributions + _all_due_contributions(qs, node, months, rest, dimension, due_before)


def whole_months(start: date, end: date, today: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The local months wholly inside start..end (a month also counts when the rest of it is
    still to come: no case is created in the future), and the date ranges left over."""
    month = start if start.day == 1 else rollups.next_month(start.replace(day=1))
    months = []
    while month <= end and (rollups.next_month(month) - timedelta(days=1) <= end or end >= today):
        months.append(month)
        month = rollups.next_month(month)
    if not months:
        return [], [(start, end)]
    rest = []
    if start < months[0]:
        rest.append((start, months[0] - timedelta(days=1)))
    after = rollups.next_month(months[-1])
    if after <= end:
        rest.append((after, end))
    return months, rest


# Groupings ---------------------------------------------------------------------------------


def _by_jurisdiction(contributions, user, node: Jurisdiction | None) -> list[StatRow]:
    """Fold each contribution into the direct child of `node` whose subtree holds its path."""
    children_qs = Jurisdiction.objects.restrict(user, "view")
    children_qs = children_qs.filter(parent=node) if node is not None else children_qs.filter(parent__isnull=True)
    children = list(children_qs.only("id", "name", "code", "path").order_by("code", "id"))
    rows = {str(child.pk): StatRow(key=str(child.pk), label=child.name) for child in children}
    prefix = node.path if node is not None else ""
    self_row = (
        StatRow(key=f"{SELF_PREFIX}{node.pk}", label=_("{name}（本级）").format(name=node.name)) if node else None
    )
    other_row = StatRow(key=OTHER_KEY, label=_("其他"))
    for path, contribution in contributions:
        path = path or ""
        part = row = None
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            part = rest.split("/", 1)[0] if rest else ""
        if part == "" and self_row is not None:
            row = self_row
        elif part:
            row = rows.get(str(int(part)))
        (row or other_row).add(contribution)
    result = list(rows.values())
    for extra in (self_row, other_row):
        if extra is not None and (extra.reported or extra.due):
            result.append(extra)
    return result


def _fold(contributions) -> dict:
    folded: dict = {}
    for group, contribution in contributions:
        folded.setdefault(group, StatRow(key="", label="")).add(contribution)
    return folded


def _by_unit(contributions) -> list[StatRow]:
    folded = _fold(contributions)
    names = dict(Unit.objects.filter(pk__in=[k for k in folded if k]).values_list("id", "name"))
    rows = []
    for unit_id, row in folded.items():
        if unit_id:
            row.key, row.label = str(unit_id), names.get(unit_id, str(unit_id))
            rows.append(row)
    rows.sort(key=lambda r: (r.label, int(r.key)))
    unassigned = folded.get(None)
    if unassigned is not None:
        unassigned.key, unassigned.label = NO_UNIT_KEY, _("未指定责任单位")
        rows.append(unassigned)
    return rows


def _by_category(contributions) -> list[StatRow]:
    folded = _fold(contributions)
    categories = Category.objects.filter(pk__in=folded).select_related("parent")
    ordered = sorted(
        categories, key=lambda c: (c.parent.sort if c.parent_id else c.sort, c.parent_id or 0, c.sort, c.pk)
    )
    rows = []
    for category in ordered:
        row = folded[category.pk]
        row.key, row.label = str(category.pk), str(category)
        rows.append(row)
    return rows


def _by_period(contributions, kind: str, start: date, end: date) -> list[StatRow]:
    folded = _fold((period_start(day, kind), row) for day, row in contributions)
    rows = []
    day = period_start(start, kind)
    while day <= end:
        row = folded.get(day) or StatRow(key="", label="")
        row.key, row.label = day.isoformat(), period_label(kind, day)
        rows.append(row)
        day = period_next(day, kind)
    return rows


def _uses_rollups(user, node: Jurisdiction | None) -> bool:
    """Rollups hold subtrees: any scope that is one (not a unit contact's unit)."""
    if user.role == Role.UNIT_CONTACT or not role_allows(user.role, "cases.case", "view"):
        return False
    return node is not None or user.role == Role.ADMIN


def case_statistics(
    *, user, start: date, end: date, group_by: str, jurisdiction=None, now=None, source: str = "auto"
) -> list[StatRow]:
    """KPIs of the cases created from `start` to `end` (local dates, inclusive) in the user's scope.

    `group_by` is one of GROUPINGS:
    - "jurisdiction": one row per direct child of `jurisdiction` (default: the user's own),
      each case folded into the child whose subtree holds it; a "（本级）" row for cases
      placed on the node itself and an "其他" row for cases outside every visible child
      (unit contacts) appear only when non-empty. Children without cases are listed with zeros.
    - "unit": one row per responsible unit, plus "未指定责任单位" for cases with none.
    - "category": one row per 小类 that has cases, labelled "大类/小类".
    - "day" / "week" / "month": one row per period in the range (weeks start on Monday),
      including empty periods.

    The last row is always the totals row (key "total", `is_total=True`); rows are disjoint,
    so the totals are the sums of the rows and do not depend on the grouping. A `jurisdiction`
    outside the user's scope raises OutsideJurisdiction. See the module docstring for the
    definitions of every figure.

    Whole months of a subtree are read from the rollups (apps/cases/rollups.py; "as of" their
    last refresh, `rollup_as_of`); `source="raw"` reads the cases themselves throughout.
    """
    if group_by not in GROUPINGS:
        raise DomainError(_("不支持的统计维度。"))
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"))
    now = now or timezone.now()
    node = _resolve_node(user, jurisdiction)
    period_end = local_midnight(end + timedelta(days=1))

    def scoped():
        qs = Case.objects.restrict(user, "view").filter(
            created_at__gte=local_midnight(start), created_at__lt=period_end
        )
        if node is not None and (user.role == Role.ADMIN or node.pk != user.jurisdiction_id):
            # restrict() already keeps the user's own subtree; a second identical LIKE would
            # only skew PostgreSQL's row estimates.
            qs = qs.filter(jurisdiction__path__within=node.path)
        return qs

    dimension = "period" if group_by in PERIOD_GROUPINGS else group_by
    if source != "raw" and _uses_rollups(user, node):
        months, rest = whole_months(start, end, timezone.localdate(now))
        if months:
            rollups.rollups_catch_up()
        if node is not None:  # the same cases (the node is in the user's scope), found by its ids
            period = Case.objects.filter(created_at__gte=local_midnight(start), created_at__lt=period_end)
            # Built only when read: whole past months read no case (rollups alone), and building
            # the querysets was a good part of the figures' own Python time.
            qs = SimpleLazyObject(lambda: _in_subtree(period, node))
        else:
            qs = SimpleLazyObject(scoped)
    else:
        months, rest = [], [(start, end)]
        qs = scoped()
    contributions = _contributions(qs, node, months, rest, dimension, min(period_end, now))
    if group_by == "jurisdiction":
        rows = _by_jurisdiction(contributions, user, node)
    elif group_by == "unit":
        rows = _by_unit(contributions)
    elif group_by == "category":
        rows = _by_category(contributions)
    else:
        rows = _by_period(contributions, PERIOD_GROUPINGS[group_by], start, end)
    totals = StatRow(key=TOTAL_KEY, label=_("合计"), is_total=True)
    for row in rows:
        row.due += row.closed  # 应结案数 = closed + unclosed past their deadline
        totals.add(row)
    return [*rows, totals]


# Links to the cases behind a figure ---------------------------------------------------------

# metric -> the filters selecting its cases (a rate links to its numerator's cases)
METRIC_FILTERS = {
    "reported": {},
    "registered": {"registered": "1"},
    "registration_rate": {"registered": "1"},
    "dispatched": {"dispatched": "1"},
    "due": {"due": "1"},
    "handled_on_time": {"handled_on_time": "1"},
    "on_time_handling_rate": {"handled_on_time": "1"},
    "closed": {"status": CaseStatus.CLOSED.value},
    "closure_rate": {"status": CaseStatus.CLOSED.value},
    "avg_close_hours": {"status": CaseStatus.CLOSED.value},
    "closed_on_time": {"status": CaseStatus.CLOSED.value, "closed_on_time": "1"},
    "on_time_closure_rate": {"status": CaseStatus.CLOSED.value, "closed_on_time": "1"},
    "returned_for_rework": {"reworked": "1"},
    "rework_rate": {"reworked": "1"},
    "recurrences": {"recurrence": "1"},
}


def case_filter_for(
    row_key: str,
    group_by: str,
    metric: str,
    *,
    start: date | None = None,
    end: date | None = None,
    jurisdiction=None,
) -> dict:
    """The case-list querystring filters behind one figure of `case_statistics`.

    Keys: status, category, jurisdiction, unit, recurrence (already understood by
    `selectors.case_list`) and created_from, created_to, registered, dispatched, due,
    due_by, handled_on_time, closed_on_time, reworked, jurisdiction_only and unit="none"
    (the statistics filters of `case_list`). Pass the same `start`/`end`/`jurisdiction`
    as to `case_statistics`; day/week/month rows narrow the creation dates to their own
    period. "due" carries `due_by`, the last day of the whole statistics period (`end`,
    also for period rows, as in `case_statistics`): closed, or deadline_at before the end
    of that day and before now.
    """
    if group_by not in GROUPINGS:
        raise DomainError(_("不支持的统计维度。"))
    if metric not in METRIC_FILTERS:
        raise DomainError(_("不支持的统计指标。"))
    filters: dict[str, str] = {}
    node_id = jurisdiction.pk if isinstance(jurisdiction, Jurisdiction) else jurisdiction
    if node_id not in (None, ""):
        filters["jurisdiction"] = str(node_id)
    first, last = start, end
    key = str(row_key)
    if key != TOTAL_KEY:
        if group_by == "jurisdiction":
            if key.startswith(SELF_PREFIX):
                filters.pop("jurisdiction", None)
                filters["jurisdiction_only"] = key[len(SELF_PREFIX) :]
            elif key != OTHER_KEY:
                filters["jurisdiction"] = key
        elif group_by == "unit":
            filters["unit"] = key
        elif group_by == "category":
            filters["category"] = key
        else:
            kind = PERIOD_GROUPINGS[group_by]
            period_first = date.fromisoformat(key)
            period_last = period_next(period_first, kind) - timedelta(days=1)
            first = max(period_first, start) if start else period_first
            last = min(period_last, end) if end else period_last
    if first:
        filters["created_from"] = first.isoformat()
    if last:
        filters["created_to"] = last.isoformat()
    filters.update(METRIC_FILTERS[metric])
    due_by = end or last
    if metric == "due" and due_by:
        filters["due_by"] = due_by.isoformat()
    return filters


# Export ------------------------------------------------------------------------------------


def _group_header(group_by: str | None) -> str:
    return {
        "jurisdiction": _("辖区"),
        "unit": _("责任单位"),
        "category": _("问题类别"),
        "day": _("日期"),
        "week": _("周"),
        "month": _("月份"),
    }.get(group_by or "", _("分组"))


def statistics_columns(group_by: str | None = None) -> list[tuple[str, object]]:
    return [
        (_group_header(group_by), lambda r: r.label),
        (_("上报数"), lambda r: r.reported),
        (_("立案数"), lambda r: r.registered),
        (_("立案率(%)"), lambda r: r.registration_rate),
        (_("派遣数"), lambda r: r.dispatched),
        (_("按期处置数"), lambda r: r.handled_on_time),
        (_("按期处置率(%)"), lambda r: r.on_time_handling_rate),
        (_("应结案数"), lambda r: r.due),
        (_("结案数"), lambda r: r.closed),
        (_("结案率(%)"), lambda r: r.closure_rate),
        (_("按期结案数"), lambda r: r.closed_on_time),
        (_("按期结案率(%)"), lambda r: r.on_time_closure_rate),
        (_("返工数"), lambda r: r.returned_for_rework),
        (_("返工率(%)"), lambda r: r.rework_rate),
        (_("平均结案时长（小时）"), lambda r: r.avg_close_hours),
        (_("重复发生数"), lambda r: r.recurrences),
    ]


def statistics_xlsx(rows: list[StatRow], *, group_by: str | None = None) -> bytes:
    """The table as .xlsx through the shared writer (labels are neutralised against formulas)."""
    return write_xlsx(rows, statistics_columns(group_by))


# Figures per target (rankings) -------------------------------------------------------------

TARGET_FIGURES = ("reported", "due", "closed_on_time", "recurrences")
TARGET_SOURCES = ("reported", "closed", "closed_on_time", "recurrences")


def _target_sources(start: date, end: date, now: datetime | None):
    """Whole months from the rollups, the remaining days and 应结案数's live part from the cases."""
    now = now or timezone.now()
    months, rest = whole_months(start, end, timezone.localdate(now))
    if months:
        rollups.rollups_catch_up()
    period = Case.objects.filter(
        created_at__gte=local_midnight(start), created_at__lt=local_midnight(end + timedelta(days=1))
    )
    raw_parts = [_created_within(period, first, last) for first, last in rest]
    live = period.exclude(status=CaseStatus.CLOSED).filter(
        deadline_at__isnull=False, deadline_at__lt=due_before(end, now)
    )
    # The four figures a ranking reads (TARGET_FIGURES; 应结案数 from `closed` and `live`).
    raw_sums = {name: value for name, value in rollups.case_counts().items() if name in TARGET_SOURCES}
    rollup_sums = {name: value for name, value in rollups.rollup_sums().items() if name in TARGET_SOURCES}
    return months, raw_parts, live, raw_sums, rollup_sums


def _add_target(found: dict, key, values: dict, *, live: bool = False) -> None:
    figures = found.setdefault(key, dict.fromkeys(TARGET_FIGURES, 0))
    if live:
        figures["due"] += values["n"]
        return
    for name in ("reported", "closed_on_time", "recurrences"):
        figures[name] += values[name] or 0
    figures["due"] += values["closed"] or 0  # 应结案数 = closed + unclosed past their deadline


def sums_by_path_prefix(
    grouped, names: list[str], node_path: str, length: int, integers: tuple[str, ...] = ()
) -> list[tuple]:
    """Rows (prefix, *SUM(name) for names) of `grouped` — a `values(jid=<jurisdiction id>)
    .annotate(**aggregates named `names`)` query, one row per jurisdiction — per the paths of
    the jurisdictions under `node_path` cut to `length` (PostgreSQL).

    Summing per jurisdiction id first (integers) and joining the paths afterwards cuts and hashes
    each path once per jurisdiction rather than once per row; the rows come back as psycopg reads
    them, without Django's per-row converters: the `integers` come back as int (0 for none),
    the other sums as the database sums them (a numeric is a Decimal, NULL is None).
    """
    inner_sql, inner_params = grouped.query.sql_with_params()
    nodes = Jurisdiction.objects.filter(path__within=node_path).values("id", "path").order_by()
    nodes_sql, nodes_params = nodes.query.sql_with_params()
    quote = connection.ops.quote_name
    sums = ", ".join(
        f"CAST(COALESCE(SUM(s.{quote(name)}), 0) AS bigint)" if name in integers else f"SUM(s.{quote(name)})"
        for name in names
    )
    # Only compiled querysets and quoted names are pasted in; every value is a parameter.
    sql = (
        f"SELECT SUBSTRING(j.{quote('path')}, 1, %s), {sums} FROM ({inner_sql}) s "  # noqa: S608
        f"INNER JOIN ({nodes_sql}) j ON j.{quote('id')} = s.{quote('jid')} GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (length, *inner_params, *nodes_params))
        return cursor.fetchall()


def _stored_by_prefix(stored, sums: dict, node: Jurisdiction, length: int) -> list[tuple]:
    """(prefix, n, *TARGET_SOURCES) of the rollup rows `stored` per target path prefix."""
    names = list(sums)
    if connection.vendor == "postgresql":
        if node.parent_id is not None:  # a root's subtree is every jurisdiction: no filter to apply
            stored = stored.filter(node_id__in=Jurisdiction.objects.filter(path__within=node.path).values("id"))
        grouped = stored.values(jid=F("node_id")).annotate(**sums).order_by()
        return sums_by_path_prefix(grouped, names, node.path, length, integers=tuple(names))
    rows = stored.filter(node__path__within=node.path).annotate(prefix=Substr("node__path", 1, length))
    rows = rows.values_list("prefix")
    return [(prefix, *(value or 0 for value in values)) for prefix, *values in rows.annotate(**sums).order_by()]


def case_figures_by_jurisdiction(
    node: Jurisdiction, targets_by_path: dict[str, str], start: date, end: date, now=None
) -> dict[str, dict]:
    """reported / due / closed_on_time / recurrences of the cases created start..end, per target
    jurisdiction (`targets_by_path`: path -> key) below `node`. Paths are fixed-width, so a
    case's target is the prefix of its path at the targets' length; one grouped query per
    path length and source, however many cases.

    Whole months are one read of the rollups: the "all" rows and, for 应结案数's live part, the
    "deadline" rows before the cut's day (as the statistics do, _all_due_contributions); the
    cases are read only for the other days, and for the deadlines earlier on the cut's own day
    when the period is still running."""
    now = now or timezone.now()
    months, raw_parts, live, raw_sums, _rollup_sums = _target_sources(start, end, now)
    cut = due_before(end, now)
    found: dict[str, dict] = {}
    if months:
        cut_day = timezone.localtime(cut).date()
        day_start = local_midnight(cut_day)
        in_all = Q(dimension="all")
        # "n" first: once annotated, "reported" names the sum, not the field.
        stored_sums = {"n": Sum("reported", filter=Q(dimension="deadline", key__lt=cut_day.toordinal()))}
        stored_sums.update({name: Sum(name, filter=in_all) for name in TARGET_SOURCES})
        stored = CaseRollup.objects.filter(dimension__in=("all", "deadline"), month__in=months)
        # The deadlines the "deadline" rows do not cover: the cut's own day (before the cut), and
        # every deadline of the cases created outside the whole months.
        live = live.exclude(
            created_at__gte=local_midnight(months[0]),
            created_at__lt=local_midnight(rollups.next_month(months[-1])),
            deadline_at__lt=day_start,
        )
    live_needed = not months or raw_parts or day_start < cut
    for length in sorted({len(path) for path in targets_by_path}):

        def fold(rows, *, live=False):
            for row in rows:
                key = targets_by_path.get(row["prefix"])
                if key is not None:
                    _add_target(found, key, row, live=live)

        if months:
            for prefix, n, reported, closed, closed_on_time, recurrences in _stored_by_prefix(
                stored, stored_sums, node, length
            ):
                key = targets_by_path.get(prefix)
                if key is None:
                    continue
                figures = found.get(key)
                if figures is None:
                    found[key] = {
                        "reported": reported,
                        "due": closed + n,  # 应结案数 = closed + unclosed past their deadline
                        "closed_on_time": closed_on_time,
                        "recurrences": recurrences,
                    }
                else:
                    figures["reported"] += reported
                    figures["due"] += closed + n
                    figures["closed_on_time"] += closed_on_time
                    figures["recurrences"] += recurrences
        for part in raw_parts:
            part = part.filter(jurisdiction__path__within=node.path)
            fold(part.annotate(prefix=Substr("jurisdiction__path", 1, length)).values("prefix").annotate(**raw_sums))
        if live_needed:
            scoped = live.filter(jurisdiction__path__within=node.path)
            prefixed = scoped.annotate(prefix=Substr("jurisdiction__path", 1, length)).values("prefix")
            fold(prefixed.annotate(n=Count("id")).order_by(), live=True)
    return found


def case_figures_by_unit(units, start: date, end: date, now=None) -> dict[str, dict]:
    """The same figures per responsible unit (`units`: unit ids), keyed by str(unit id)."""
    units = list(units)
    months, raw_parts, live, raw_sums, rollup_sums = _target_sources(start, end, now)
    found: dict[str, dict] = {}
    if months:
        stored = rollups.rollup_dimension("unit", months).filter(key__in=units)
        for row in stored.values("key").annotate(**rollup_sums).order_by():
            _add_target(found, str(row["key"]), row)
    for part in raw_parts:
        rows = part.filter(assignee_unit_id__in=units).values("assignee_unit_id").annotate(**raw_sums).order_by()
        for row in rows:
            _add_target(found, str(row["assignee_unit_id"]), row)
    rows = live.filter(assignee_unit_id__in=units).values("assignee_unit_id").annotate(n=Count("id")).order_by()
    for row in rows:
        _add_target(found, str(row["assignee_unit_id"]), row, live=True)
    return found


def subtree_totals(path: str, start: date | None, end: date | None, now=None) -> StatRow:
    """The totals row of `case_statistics` for a subtree (by path), unscoped: whole months from
    the rollups, the rest from the cases. No `start`: since the first case."""
    now = now or timezone.now()
    end = end or timezone.localdate(now)
    if start is None:
        first = Case.objects.filter(jurisdiction__path__within=path).aggregate(first=Min("created_at"))["first"]
        start = timezone.localdate(first) if first else end
    totals = StatRow(key=TOTAL_KEY, label=_("合计"), is_total=True)
    if end < start:
        return totals
    period_end = local_midnight(end + timedelta(days=1))
    qs = Case.objects.filter(
        jurisdiction__path__within=path, created_at__gte=local_midnight(start), created_at__lt=period_end
    )
    months, rest = whole_months(start, end, timezone.localdate(now))
    if months:
        rollups.rollups_catch_up()
    node = Jurisdiction(path=path)
    for _path, contribution in _contributions(qs, node, months, rest, "jurisdiction", min(period_end, now)):
        totals.add(contribution)
    totals.due += totals.closed
    return totals
