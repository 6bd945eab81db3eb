"""Rankings (评比), the whole feature: computing a period's ranking from the stored scores, the
scheme of weights, publishing (rows, weights and flags frozen) and recalculating published
rankings when a score changes.

A ranking is computed, never stored until published: the inspection component is the
average 百分制 score of the submitted sheets in the period (by `inspected_on`); closure
and recurrence come from the cases created in the period (the case statistics' rules:
按期结案率 = 按期结案数 / 应结案数). Every figure is one grouped query per component, folded
into the targets in Python, so a quarter of a city costs a handful of queries. The scores are
computed in integer tenths (ranking.composite_tenths), digit for digit the Decimal formulas of
ranking.py, and only the published rows carry Decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.cases.statistics import case_figures_by_jurisdiction, case_figures_by_unit, sums_by_path_prefix
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
class _Targets:
    """Who is ranked: key -> label in listing order (the order ties keep), and how to find them."""

    labels: dict[str, str]
    by_path: dict[str, str] | None = None  # jurisdictions: path -> key
    units: object = None  # units: the queryset of the candidate units
    unit_ids: list[int] | None = None
    lengths: list[int] = field(default_factory=list)  # jurisdictions: the lengths of their paths


def _targets(node: Jurisdiction, level_key: str) -> _Targets:
    """The candidates of `level_key` in `node` (one query, read once for both periods)."""
    if level_key.startswith(UNIT_PREFIX):
        unit_type = level_key[len(UNIT_PREFIX) :]
        units = Unit.objects.filter(jurisdiction__path__within=node.path, unit_type__code=unit_type).exclude(
            status=UnitStatus.CANCELLED
        )
        rows = list(units.values_list("id", "name"))
        return _Targets(labels={str(pk): name for pk, name in rows}, units=units, unit_ids=[pk for pk, _ in rows])
    level_code = level_key[len(LEVEL_PREFIX) :]
    rows = list(
        Jurisdiction.objects.filter(path__within=node.path, level__code=level_code).values_list("id", "name", "path")
    )
    by_path = {path: str(pk) for pk, _name, path in rows}
    return _Targets(
        labels={str(pk): name for pk, name, _path in rows},
        by_path=by_path,
        # Paths are fixed-width (ten characters per level, see Jurisdiction.child_path), so the
        # prefix of a row's path at the targets' length names the target holding it: the database
        # groups by that prefix, one row per target. Rows above the targets' level (a case placed
        # on the street itself when communities are ranked) have shorter paths and match none.
        lengths=sorted({len(path) for path in by_path}),
    )


def _sheet_figures(node: Jurisdiction, targets: _Targets, start: date, end: date) -> dict[str, tuple]:
    """key -> (percent sum in tenths, sheets, vetoes) of the submitted sheets of start..end
    (inspected targets only).

    On PostgreSQL the percents (one decimal) are summed as integer tenths, whose sums need no
    numeric state per group; elsewhere as they are, then turned into tenths."""
    sheets = Inspection.objects.filter(status=InspectionStatus.SUBMITTED, inspected_on__range=(start, end))
    postgresql = connection.vendor == "postgresql"
    # A veto counts against a jurisdiction only when the sheet was about the place itself.
    vetoed = Q(vetoed=True) if targets.by_path is None else Q(vetoed=True, target_unit__isnull=True)
    sums = {
        "percent_sum": Sum(Cast(F("percent") * 10, output_field=IntegerField()) if postgresql else F("percent")),
        "inspections": Count("id"),
        "vetoes": Count("id", filter=vetoed),
    }
    if targets.by_path is None:
        rows = sheets.filter(target_unit__in=targets.units).values_list("target_unit_id").annotate(**sums).order_by()
    elif postgresql:
        rows = _sheet_rows_by_prefix(node, targets, sheets, sums)
    else:
        scoped = sheets.filter(target_jurisdiction__path__within=node.path)
        rows = [
            row
            for length in targets.lengths
            for row in scoped.annotate(prefix=Substr("target_jurisdiction__path", 1, length))
            .values_list("prefix")
            .annotate(**sums)
            .order_by()
        ]
    found: dict[str, tuple] = {}
    by_path = targets.by_path
    for group, percent_sum, inspections, vetoes in rows:
        key = str(group) if by_path is None else by_path.get(group)
        if key is not None and inspections:
            tenths = (percent_sum or 0) if postgresql else round((percent_sum or 0) * 10)
            found[key] = (tenths, inspections, vetoes)
    return found


def _sheet_rows_by_prefix(node: Jurisdiction, targets: _Targets, sheets, sums: dict) -> list[tuple]:
    """(path prefix, percent sum in tenths, sheets, vetoes) per target path (PostgreSQL): summed
    per jurisdiction id first, the paths joined and cut afterwards (sums_by_path_prefix)."""
    if node.parent_id is not None:  # a root's subtree is every jurisdiction: no filter to apply
        sheets = sheets.filter(target_jurisdiction_id__in=node.subtree().values("id"))
    grouped = sheets.values(jid=F("target_jurisdiction_id")).annotate(**sums).order_by()
    names = list(sums)
    return [
        row
        for length in targets.lengths
        for row in sums_by_path_prefix(grouped, names, node.path, length, integers=tuple(names))
    ]


def _case_figures(node: Jurisdiction, targets: _Targets, start: date, end: date) -> dict[str, dict]:
    if targets.by_path is None:
        return case_figures_by_unit(targets.unit_ids, start, end)
    return case_figures_by_jurisdiction(node, targets.by_path, start, end)


NO_CASES = dict.fromkeys(("reported", "due", "closed_on_time", "recurrences"), 0)


def _scores(targets: _Targets, sheets: dict[str, tuple], cases: dict[str, dict], weights: tuple[int, int, int]):
    """(key, label, vetoed, composite, inspection average, closure rate) of every target inspected
    in the period (评比 rests on inspections: only they are ranked), in listing order; the
    figures in integer tenths (ranking.composite_tenths: the digits of the Decimal formulas)."""
    half_up, composite_tenths = ranking.half_up, ranking.composite_tenths
    scores = []
    for key, label in targets.labels.items():
        sheet = sheets.get(key)
        if sheet is None:
            continue
        tenths, inspections, vetoes = sheet
        average = half_up(tenths, inspections)
        figures = cases.get(key, NO_CASES)
        due = figures["due"]
        closure = half_up(1000 * figures["closed_on_time"], due) if due else None
        composite = composite_tenths(average, closure, figures["reported"], figures["recurrences"], weights)
        scores.append((key, label, vetoes > 0, composite, average, closure))
    return scores


def ranking_compute(
    *, node: Jurisdiction, period_kind: str, day: date, level_key: str, scheme: RankingScheme | None = None
) -> RankingResult:
    """The ranking of `level_key` targets in `node` for the period containing `day`, with movement."""
    if not (level_key.startswith(UNIT_PREFIX) or level_key.startswith(LEVEL_PREFIX)):
        raise DomainError(_("请选择评比对象。"))
    scheme = scheme or ranking_scheme_for(node)
    start, end = period_bounds(period_kind, day)
    weights = scheme.weights()
    integer_weights = ranking.integer_weights(weights)
    targets = _targets(node, level_key)
    sheets = _sheet_figures(node, targets, start, end)
    cases = _case_figures(node, targets, start, end)
    previous_start, previous_end = previous_period(period_kind, start)
    previous_scores = _scores(
        targets,
        _sheet_figures(node, targets, previous_start, previous_end),
        _case_figures(node, targets, previous_start, previous_end),
        integer_weights,
    )
    previous_ranks = {score[0]: rank for score, rank, _movement, _flag in ranking.rank_scores(previous_scores)}
    scores = _scores(targets, sheets, cases, integer_weights)
    ranked = ranking.rank_scores(
        scores, previous_ranks=previous_ranks, red_flags=scheme.red_flags, yellow_flags=scheme.yellow_flags
    )
    decimal = ranking.decimal_of_tenths
    rows = []
    for (key, label, vetoed, composite, average, closure), rank, movement, flag in ranked:
        figures = cases.get(key, NO_CASES)
        rows.append(
            RankingRow(
                key=key,
                label=label,
                rank=rank,
                composite=decimal(composite),
                inspection=decimal(average),
                inspections=sheets[key][1],
                closure=decimal(closure),
                cases=figures["reported"],
                due=figures["due"],
                closed_on_time=figures["closed_on_time"],
                recurrences=figures["recurrences"],
                vetoed=vetoed,
                movement=movement,
                flag=flag,
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
        not_inspected=len(targets.labels) - len(scores),
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
