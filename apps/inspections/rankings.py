"""Rankings (评比), the whole feature: computing a period's ranking from the stored scores, the
scheme of weights, publishing (rows, weights and flags frozen) and recalculating published
rankings when a score changes.

A ranking is computed, never stored until published: the inspection component is the
average 百分制 score of the submitted sheets in the period (by `inspected_on`); closure
and recurrence come from the cases created in the period (the case statistics' rules:
按期结案率 = 按期结案数 / 应结案数). Every figure is one grouped query per component, folded
into the targets in Python, so a quarter of a city costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.cases.statistics import case_figures_by_jurisdiction, case_figures_by_unit
from apps.core.audit import audit_record
from apps.core.exceptions import ConcurrentEdit, DomainError
from apps.core.permissions import ensure_jurisdiction_in_scope, ensure_role_allows
from apps.core.services import tracked_create, tracked_update
from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, JurisdictionLevel, Unit, UnitType
from apps.worktime.periods import period_bounds, period_label, previous_period

from . import ranking
from .choices import (
    FlagKind,
    InspectionStatus,
)
from .models import (
    FlagAward,
    Inspection,
    PublishedRanking,
    RankingScheme,
)

ONE_DECIMAL = Decimal("0.1")

# What can be ranked ----------------------------------------------------------------------------

UNIT_PREFIX, LEVEL_PREFIX = "unit:", "level:"


def ranking_levels() -> list[tuple[str, str]]:
    """Choices for "who is ranked": the jurisdiction levels below the street, then every unit type."""
    levels = [
        (f"{LEVEL_PREFIX}{level.code}", str(level))
        for level in JurisdictionLevel.objects.filter(rank__gte=30, rank__lte=50)
    ]
    types = [
        (f"{UNIT_PREFIX}{unit_type.code}", str(unit_type)) for unit_type in UnitType.objects.filter(is_active=True)
    ]
    return levels + types


def level_label(level_key: str) -> str:
    """The stored label of a published ranking: in the default language, whoever publishes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return dict(ranking_levels()).get(level_key, level_key)


def ranking_scheme_for(node: Jurisdiction) -> RankingScheme:
    """The scheme of the node or its nearest ancestor; an unsaved default when none is set."""
    schemes = {s.jurisdiction_id: s for s in RankingScheme.objects.filter(jurisdiction_id__in=node.ancestor_ids)}
    for ancestor_id in reversed(node.ancestor_ids):
        if ancestor_id in schemes:
            return schemes[ancestor_id]
    return RankingScheme(jurisdiction=node)


def scheme_for_editing(node: Jurisdiction) -> RankingScheme:
    """The node's own scheme, or a new one prefilled with the rules it inherits."""
    scheme = ranking_scheme_for(node)
    if scheme.pk and scheme.jurisdiction_id == node.pk:
        return scheme
    fields = ("weight_inspection", "weight_closure", "weight_recurrence", "red_flags", "yellow_flags", "appeal_days")
    return RankingScheme(jurisdiction=node, **{name: getattr(scheme, name) for name in fields})


# Computing a ranking ---------------------------------------------------------------------------


@dataclass
class RankingRow:
    key: str
    label: str
    rank: int
    composite: Decimal | None
    inspection: Decimal | None
    inspections: int
    closure: Decimal | None
    cases: int
    due: int
    closed_on_time: int
    recurrences: int
    vetoed: bool
    movement: int | None
    flag: str

    def as_json(self) -> dict:
        return {name: (str(value) if isinstance(value, Decimal) else value) for name, value in self.__dict__.items()}


@dataclass
class RankingResult:
    node: Jurisdiction
    period_kind: str
    start: date
    end: date
    level_key: str
    weights: dict[str, Decimal]
    red_flags: int
    yellow_flags: int
    rows: list[RankingRow] = field(default_factory=list)
    not_inspected: int = 0

    @property
    def label(self) -> str:
        return period_label(self.period_kind, self.start, self.end)


@dataclass
class _Tally:
    label: str
    percent_sum: Decimal = Decimal(0)
    inspections: int = 0
    vetoes: int = 0
    cases: int = 0
    due: int = 0
    closed_on_time: int = 0
    recurrences: int = 0


def _by_prefix(qs, path_field: str, targets_by_path: dict[str, str], aggregates: dict) -> dict[str, dict]:
    """Aggregate `qs` per target by cutting each row's jurisdiction path to the targets' length.

    Paths are fixed-width (ten characters per level, see Jurisdiction.child_path), so the prefix
    of a row's path at the targets' length names the target holding it; the database groups by
    that prefix and returns one row per target. Rows above the targets' level (a case placed on
    the street itself when communities are ranked) have shorter paths and match no target.
    """
    folded: dict[str, dict] = {}
    for length in sorted({len(path) for path in targets_by_path}):
        rows = qs.annotate(prefix=Substr(path_field, 1, length)).values("prefix").annotate(**aggregates).order_by()
        for row in rows:
            key = targets_by_path.get(row["prefix"])
            if key is not None:
                folded[key] = row
    return folded


def _tallies(node: Jurisdiction, level_key: str, start: date, end: date) -> dict[str, _Tally]:
    sheets = Inspection.objects.filter(status=InspectionStatus.SUBMITTED, inspected_on__range=(start, end))
    inspection_sums = {"percent_sum": Sum("percent"), "inspections": Count("id")}
    if level_key.startswith(UNIT_PREFIX):
        unit_type = level_key[len(UNIT_PREFIX) :]
        units = Unit.objects.filter(jurisdiction__path__within=node.path, unit_type__code=unit_type).exclude(
            status=UnitStatus.CANCELLED
        )
        tallies = {str(pk): _Tally(name) for pk, name in units.values_list("id", "name")}
        sheet_rows = (
            sheets.filter(target_unit__in=units)
            .values("target_unit_id")
            .annotate(**inspection_sums, vetoes=Count("id", filter=Q(vetoed=True)))
            .order_by()
        )
        for row in sheet_rows:
            _add_sheets(tallies[str(row["target_unit_id"])], row)
        # The cases' four figures from the statistics' rollups (whole months) and the cases.
        for key, figures in case_figures_by_unit([int(key) for key in tallies], start, end).items():
            _add_cases(tallies[key], figures)
        return tallies
    level_code = level_key[len(LEVEL_PREFIX) :]
    nodes = Jurisdiction.objects.filter(path__within=node.path, level__code=level_code).values_list(
        "id", "name", "path"
    )
    tallies = {str(pk): _Tally(name) for pk, name, _path in nodes}
    by_path = {path: str(pk) for pk, _name, path in nodes}
    # A veto counts against a jurisdiction only when the sheet was about the place itself.
    sheet_sums = {**inspection_sums, "vetoes": Count("id", filter=Q(vetoed=True, target_unit__isnull=True))}
    sheet_rows = _by_prefix(
        sheets.filter(target_jurisdiction__path__within=node.path), "target_jurisdiction__path", by_path, sheet_sums
    )
    for key, row in sheet_rows.items():
        _add_sheets(tallies[key], row)
    for key, figures in case_figures_by_jurisdiction(node, by_path, start, end).items():
        _add_cases(tallies[key], figures)
    return tallies


def _add_sheets(tally: _Tally, row: dict) -> None:
    tally.percent_sum += row["percent_sum"] or 0
    tally.inspections += row["inspections"]
    tally.vetoes += row["vetoes"]


def _add_cases(tally: _Tally, row: dict) -> None:
    tally.cases += row["reported"]
    tally.due += row["due"]
    tally.closed_on_time += row["closed_on_time"]
    tally.recurrences += row["recurrences"]


def _entries(tallies: dict[str, _Tally]) -> list[ranking.Entry]:
    """Only targets inspected in the period are ranked (评比 rests on inspections)."""
    entries = []
    for key, tally in tallies.items():
        if not tally.inspections:
            continue
        average = (tally.percent_sum / tally.inspections).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        closure = (
            (Decimal(tally.closed_on_time) * 100 / tally.due).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
            if tally.due
            else None
        )
        entries.append(
            ranking.Entry(
                key=key,
                label=tally.label,
                inspection=average,
                closure=closure,
                cases=tally.cases,
                recurrences=tally.recurrences,
                vetoed=tally.vetoes > 0,
            )
        )
    return entries


def ranking_compute(
    *, node: Jurisdiction, period_kind: str, day: date, level_key: str, scheme: RankingScheme | None = None
) -> RankingResult:
    """The ranking of `level_key` targets in `node` for the period containing `day`, with movement."""
    if not (level_key.startswith(UNIT_PREFIX) or level_key.startswith(LEVEL_PREFIX)):
        raise DomainError(_("请选择评比对象。"))
    scheme = scheme or ranking_scheme_for(node)
    start, end = period_bounds(period_kind, day)
    weights = scheme.weights()
    tallies = _tallies(node, level_key, start, end)
    previous_start, previous_end = previous_period(period_kind, start)
    previous = ranking.rank_entries(_entries(_tallies(node, level_key, previous_start, previous_end)), weights=weights)
    ranked = ranking.rank_entries(
        _entries(tallies),
        weights=weights,
        previous_ranks={r.entry.key: r.rank for r in previous},
        red_flags=scheme.red_flags,
        yellow_flags=scheme.yellow_flags,
    )
    rows = []
    for r in ranked:
        tally = tallies[r.entry.key]
        rows.append(
            RankingRow(
                key=r.entry.key,
                label=r.entry.label,
                rank=r.rank,
                composite=r.composite,
                inspection=r.entry.inspection,
                inspections=tally.inspections,
                closure=r.entry.closure,
                cases=tally.cases,
                due=tally.due,
                closed_on_time=tally.closed_on_time,
                recurrences=tally.recurrences,
                vetoed=r.entry.vetoed,
                movement=r.movement,
                flag=r.flag,
            )
        )
    return RankingResult(
        node=node,
        period_kind=period_kind,
        start=start,
        end=end,
        level_key=level_key,
        weights=weights,
        red_flags=scheme.red_flags,
        yellow_flags=scheme.yellow_flags,
        rows=rows,
        not_inspected=sum(1 for tally in tallies.values() if not tally.inspections),
    )


# Publishing and recalculating -------------------------------------------------------------


@transaction.atomic
def scheme_save(*, actor, node: Jurisdiction, data: dict) -> RankingScheme:
    ensure_role_allows(actor, RankingScheme, "change")
    ensure_jurisdiction_in_scope(actor, node)
    fields = ["weight_inspection", "weight_closure", "weight_recurrence", "red_flags", "yellow_flags", "appeal_days"]
    scheme = RankingScheme.objects.filter(jurisdiction=node).first()
    if scheme is None:
        scheme = RankingScheme(jurisdiction=node, **{name: data[name] for name in fields})
        return tracked_create(obj=scheme, actor=actor, action="inspections.rankingscheme.created", fields=fields)
    return tracked_update(
        obj=scheme,
        actor=actor,
        changes={name: data[name] for name in fields},
        expected_version=data.get("version"),
        action="inspections.rankingscheme.updated",
    )


def _rules(result: RankingResult) -> dict:
    return {"red_flags": result.red_flags, "yellow_flags": result.yellow_flags}


def _sync_flags(published: PublishedRanking, rows: list[dict]) -> None:
    """Award flags of the rows; revoke (keep, dated) flags the new rows no longer carry."""
    wanted = {(row["flag"], row["key"]): row for row in rows if row["flag"]}
    now = timezone.now()
    for award in published.flags.filter(revoked_at__isnull=True):
        if (award.kind, award.target_key) not in wanted:
            award.revoked_at = now
            award.save(update_fields=["revoked_at"])
        else:
            row = wanted.pop((award.kind, award.target_key))
            award.rank = row["rank"]
            award.composite = Decimal(row["composite"]) if row["composite"] is not None else None
            award.save(update_fields=["rank", "composite"])
    FlagAward.objects.bulk_create(
        [
            FlagAward(
                ranking=published,
                kind=FlagKind(kind),
                target_key=key,
                target_label=row["label"],
                rank=row["rank"],
                composite=Decimal(row["composite"]) if row["composite"] is not None else None,
            )
            for (kind, key), row in wanted.items()
        ]
    )


@transaction.atomic
def ranking_publish(
    *,
    actor,
    node: Jurisdiction,
    period_kind: str,
    day: date,
    level_key: str,
    title: str,
    issuer: str,
    number: str = "",
    requirements: str = "",
    is_public: bool = True,
) -> PublishedRanking:
    """Publish (or republish) a period's ranking: rows, weights and flags are frozen and audited."""
    ensure_role_allows(actor, PublishedRanking, "add")
    ensure_jurisdiction_in_scope(actor, node)
    result = ranking_compute(node=node, period_kind=period_kind, day=day, level_key=level_key)
    if not result.rows:
        raise DomainError(_("本期没有已提交的检查，无法发布评比结果。"))
    rows = [row.as_json() for row in result.rows]
    values = {
        "period_end": result.end,
        "level_label": level_label(level_key),
        "title": title.strip()
        or _("关于{period}{level}检查评比情况的通报").format(period=result.label, level=level_label(level_key)),
        "number": number.strip(),
        "issuer": issuer.strip() or str(node),
        "weights": {k: str(v) for k, v in result.weights.items()},
        "rules": _rules(result),
        "rows": rows,
        "requirements": requirements.strip(),
        "is_public": is_public,
    }
    published = (
        PublishedRanking.objects.select_for_update()
        .filter(jurisdiction=node, period_kind=period_kind, period_start=result.start, level_key=level_key)
        .first()
    )
    if published is None:
        published = PublishedRanking(
            jurisdiction=node,
            period_kind=period_kind,
            period_start=result.start,
            level_key=level_key,
            published_by=actor,
            **values,
        )
        try:
            with transaction.atomic():  # two people publishing the same period at once: one wins
                tracked_create(
                    obj=published,
                    actor=actor,
                    action="inspections.publishedranking.created",
                    fields=["title", "period_start", "period_end", "level_label", "is_public"],
                )
        except IntegrityError:
            raise ConcurrentEdit() from None
    else:
        values["revision"] = published.revision + 1
        values["published_by"] = actor
        published = tracked_update(
            obj=published,
            actor=actor,
            changes=values,
            expected_version=None,
            action="inspections.publishedranking.updated",
        )
    _sync_flags(published, rows)
    return published


def _published_scheme(published: PublishedRanking) -> RankingScheme:
    """The weights and flag rules the ranking was published with (not today's, which may differ)."""
    weights, rules = published.weights, published.rules
    return RankingScheme(
        jurisdiction=published.jurisdiction,
        weight_inspection=Decimal(weights["inspection"]),
        weight_closure=Decimal(weights["closure"]),
        weight_recurrence=Decimal(weights["recurrence"]),
        red_flags=rules.get("red_flags", 1),
        yellow_flags=rules.get("yellow_flags", 0),
    )


def _counts_in(published: PublishedRanking, day: date) -> bool:
    """A sheet of `day` counts in this ranking, or in the previous period its movement column uses."""
    if published.period_start <= day <= published.period_end:
        return True
    previous_start, previous_end = previous_period(published.period_kind, published.period_start)
    return previous_start <= day <= previous_end


def rankings_recalculate_for(*, actor, inspection: Inspection, reason: str) -> list[PublishedRanking]:
    """Recompute every published ranking the sheet counts in (its period or the one after, for the
    movement column; an ancestor scope), with the weights and rules it was published with."""
    if inspection.inspected_on is None:
        return []
    day = inspection.inspected_on
    candidates = PublishedRanking.objects.select_for_update().filter(
        jurisdiction_id__in=inspection.target_jurisdiction.ancestor_ids,
        period_end__gte=day,
        period_start__lte=day + timedelta(days=400),  # the next period of any kind starts within a year
    )
    updated = []
    for published in (p for p in candidates if _counts_in(p, day)):
        result = ranking_compute(
            node=published.jurisdiction,
            period_kind=published.period_kind,
            day=published.period_start,
            level_key=published.level_key,
            scheme=_published_scheme(published),
        )
        rows = [row.as_json() for row in result.rows]
        if rows == published.rows:
            continue
        before = {row["key"]: (row["rank"], row["composite"], row["flag"]) for row in published.rows}
        after = {row["key"]: (row["rank"], row["composite"], row["flag"]) for row in rows}
        labels = {row["key"]: row["label"] for row in [*published.rows, *rows]}
        changed = {
            labels[key]: [_rank_text(before.get(key)), _rank_text(after.get(key))]
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)
        }
        published.rows, published.revision = rows, published.revision + 1
        published.version += 1
        published.save(update_fields=["rows", "revision", "version", "updated_at"])
        _sync_flags(published, rows)
        audit_record(
            actor=actor,
            obj=published,
            action="inspections.publishedranking.recalculated",
            data={"changes": changed or {_("排名"): [_("名次不变"), _("得分或升降已更新")]}, "note": reason},
        )
        updated.append(published)
    return updated


def _rank_text(value) -> str | None:
    if value is None:
        return None
    rank, composite, flag = value
    flag_text = {"red": _("红旗"), "yellow": _("黄旗")}.get(flag, "")
    return _("第{rank}名 {composite}分 {flag}").format(rank=rank, composite=composite, flag=flag_text).strip()
