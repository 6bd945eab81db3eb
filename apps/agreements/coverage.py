"""Coverage (普及率/签订率) of responsibility agreements: signed / required, per area and type.

*Required* follows from the type (`AgreementType.required_rule`): the operating units of the listed
unit types located in the area (门前三包/五包: shops, catering, 六小行业; 共驻共建: 共建单位), every
jurisdiction of the listed levels that has an issuer above it plus the listed units (目标责任书:
streets, communities, markets and stalls), or, for agreements signed on request (承诺书), the
parties that were given one. *Signed* counts the parties whose latest agreement of the type is
signed and still in term on the day asked (`as_of`), among the required parties only, so the rate
never exceeds 100 %. Each party is counted once (only its latest agreement is read, one per party
and type by constraint); expired, superseded and cancelled agreements never count as signed.

The arithmetic (`Cell`) is kept apart from the queries that feed it (`area_cells`), like
inspections' scoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from apps.organization.choices import UnitStatus
from apps.organization.models import Jurisdiction, Unit

from .choices import AgreementStatus, RequiredRule
from .models import Agreement, AgreementType

SEGMENT = 10  # one level of a materialised path: nine digits and "/"


@dataclass
class Cell:
    """The counts of one area and type; `rate` = signed / required in % (None when nothing is required)."""

    required: int = 0
    signed: int = 0
    pending: int = 0
    refused: int = 0
    expired: int = 0

    @property
    def rate(self) -> Decimal | None:
        return coverage_rate(self.signed, self.required)

    @property
    def lacking(self) -> int:
        return max(self.required - self.signed, 0)

    def add(self, other: Cell) -> None:
        self.required += other.required
        self.signed += other.signed
        self.pending += other.pending
        self.refused += other.refused
        self.expired += other.expired


def coverage_rate(signed: int, required: int) -> Decimal | None:
    """signed / required × 100, one decimal; None when nothing is required; never above 100."""
    if not required:
        return None
    value = Decimal(min(signed, required) * 100) / Decimal(required)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class AreaCoverage:
    """Coverage of an area: by type for the whole area (`totals`) and by child bucket (`rows`:
    bucket path -> type code -> Cell; the area's own path is the bucket of parties located
    directly in it)."""

    jurisdiction: Jurisdiction
    types: list[AgreementType]
    as_of: date
    totals: dict[str, Cell] = field(default_factory=dict)
    rows: dict[str, dict[str, Cell]] = field(default_factory=dict)

    @property
    def overall(self) -> Cell:
        cell = Cell()
        for value in self.totals.values():
            cell.add(value)
        return cell


def required_party_q(agreement_type: AgreementType) -> Q:
    """Agreements whose party the type still requires (an operating unit of a listed type, or a
    jurisdiction of a listed level), so a closed shop's old agreement does not count."""
    units = Q(party_unit__unit_type__code__in=agreement_type.unit_types, party_unit__status=UnitStatus.OPERATING)
    if agreement_type.required_rule == RequiredRule.CHILDREN:
        return units | Q(party_jurisdiction__level__code__in=agreement_type.party_levels)
    return units


def required_parties_q(types) -> Q:
    """Agreements of any of `types` whose party that type still requires (what the counts count)."""
    relevant = Q(pk__in=[])
    for agreement_type in types:
        relevant |= Q(agreement_type_id=agreement_type.pk) & required_party_q(agreement_type)
    return relevant


def standing_q(standing: str, as_of: date) -> Q:
    """A latest agreement's standing on `as_of` (the list filter and the counts use the same)."""
    signed = Q(status=AgreementStatus.SIGNED)
    return {
        "signed": signed & Q(ends_on__gte=as_of),
        "pending": Q(status=AgreementStatus.GENERATED),
        "refused": Q(status=AgreementStatus.REFUSED),
        "expired": Q(status=AgreementStatus.EXPIRED) | (signed & Q(ends_on__lt=as_of)),
    }[standing]


STANDINGS = ("signed", "pending", "refused", "expired")


def _bucket(path_field: str, area_path: str):
    return Substr(path_field, 1, len(area_path) + SEGMENT)


def unit_counts(types, area_path: str, *, by_bucket: bool) -> dict[tuple[str, str], int]:
    """Operating units of every unit type the types require, in one query: (bucket, unit type
    code) -> count."""
    codes = sorted({c for t in types if t.required_rule != RequiredRule.ON_REQUEST for c in (t.unit_types or [])})
    if not codes:
        return {}
    queryset = Unit.objects.filter(
        jurisdiction__path__within=area_path, unit_type__code__in=codes, status=UnitStatus.OPERATING
    )
    if by_bucket:
        queryset = queryset.annotate(bucket=_bucket("jurisdiction__path", area_path))
        rows = queryset.values("bucket", "unit_type__code").annotate(n=Count("pk")).order_by()
        return {(row["bucket"], row["unit_type__code"]): row["n"] for row in rows}
    rows = queryset.values("unit_type__code").annotate(n=Count("pk")).order_by()
    return {("", row["unit_type__code"]): row["n"] for row in rows}


def required_counts(
    agreement_type: AgreementType, area_path: str, *, by_bucket: bool, units: dict | None = None
) -> dict[str, int]:
    """Required parties of a type in the area (bucket path -> count; "" for the whole area).
    On-request types have no list of their own: their parties are counted from the agreements.
    `units` is `unit_counts(...)` when the caller has it (one query for every type)."""
    result: dict[str, int] = {}
    if agreement_type.required_rule == RequiredRule.ON_REQUEST:
        return result
    if units is None:
        units = unit_counts([agreement_type], area_path, by_bucket=by_bucket)
    for (bucket, code), count in units.items():
        if code in (agreement_type.unit_types or []):
            result[bucket] = result.get(bucket, 0) + count
    queries = []
    if agreement_type.required_rule == RequiredRule.CHILDREN and agreement_type.party_levels:
        queries.append(
            (
                Jurisdiction.objects.filter(
                    path__within=area_path, level__code__in=agreement_type.party_levels, parent__isnull=False
                ),
                "path",
            )
        )
    for queryset, path_field in queries:
        if by_bucket:
            rows = queryset.annotate(bucket=_bucket(path_field, area_path)).values("bucket").annotate(n=Count("pk"))
            for row in rows.order_by():
                result[row["bucket"]] = result.get(row["bucket"], 0) + row["n"]
        else:
            result[""] = result.get("", 0) + queryset.count()
    return result


def agreement_counts(types: list[AgreementType], area_path: str, as_of: date, *, by_bucket: bool) -> dict:
    """(type code, bucket) -> {standing: parties}, from the latest agreements of required parties."""
    by_type = {t.pk: t for t in types}
    queryset = Agreement.objects.filter(required_parties_q(types), is_latest=True, party_path__within=area_path)
    keys = ["agreement_type_id"]
    if by_bucket:
        queryset = queryset.annotate(bucket=_bucket("party_path", area_path))
        keys.append("bucket")
    counts = {name: Count("pk", filter=standing_q(name, as_of)) for name in STANDINGS}
    result = {}
    for row in queryset.values(*keys).annotate(**counts).order_by():
        code = by_type[row["agreement_type_id"]].code
        result[(code, row.get("bucket", ""))] = {name: row[name] for name in STANDINGS}
    return result


def _cell(agreement_type: AgreementType, required: int, counts: dict | None) -> Cell:
    counts = counts or dict.fromkeys(STANDINGS, 0)
    if agreement_type.required_rule == RequiredRule.ON_REQUEST:
        required = sum(counts.values())
    return Cell(required=required, **counts)


def area_coverage(
    jurisdiction: Jurisdiction, *, as_of: date | None = None, types=None, by_child: bool = True
) -> AreaCoverage:
    """Coverage of `jurisdiction`'s subtree by type, and (with `by_child`) by child jurisdiction.
    A fixed handful of queries: two or three per type for the requirement, one for every count."""
    as_of = as_of or timezone.localdate()
    types = list(types if types is not None else AgreementType.objects.all())
    result = AreaCoverage(jurisdiction=jurisdiction, types=types, as_of=as_of)
    counts = agreement_counts(types, jurisdiction.path, as_of, by_bucket=by_child)
    units = unit_counts(types, jurisdiction.path, by_bucket=by_child)
    for agreement_type in types:
        required = required_counts(agreement_type, jurisdiction.path, by_bucket=by_child, units=units)
        total = Cell()
        buckets = set(required) | {bucket for (code, bucket) in counts if code == agreement_type.code}
        for bucket in buckets:
            cell = _cell(agreement_type, required.get(bucket, 0), counts.get((agreement_type.code, bucket)))
            total.add(cell)
            if by_child:
                result.rows.setdefault(bucket, {})[agreement_type.code] = cell
        result.totals[agreement_type.code] = total
    return result


def lacking_units(agreement_type: AgreementType, area_path: str, as_of: date, limit: int = 20, count: bool = True):
    """(first `limit` units, how many) required in the area without a signed agreement in term
    (how many is None when `count` is False: the coverage page takes it from its cells)."""
    if not agreement_type.unit_types or agreement_type.required_rule == RequiredRule.ON_REQUEST:
        return [], 0
    covered = Agreement.objects.filter(
        standing_q("signed", as_of), agreement_type=agreement_type, is_latest=True, party_unit__isnull=False
    ).values("party_unit_id")
    units = (
        Unit.objects.filter(
            jurisdiction__path__within=area_path,
            unit_type__code__in=agreement_type.unit_types,
            status=UnitStatus.OPERATING,
        )
        .exclude(pk__in=covered)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "name", "pk")
    )
    return list(units[:limit]), (units.count() if count else None)


def lacking_jurisdictions(agreement_type: AgreementType, area: Jurisdiction, as_of: date, limit: int = 20):
    """For target letters: the jurisdictions of the area required to sign one that have none in term."""
    if agreement_type.required_rule != RequiredRule.CHILDREN or not agreement_type.party_levels:
        return [], 0
    covered = Agreement.objects.filter(
        standing_q("signed", as_of), agreement_type=agreement_type, is_latest=True, party_jurisdiction__isnull=False
    ).values("party_jurisdiction_id")
    rows = (
        Jurisdiction.objects.filter(
            path__within=area.path, level__code__in=agreement_type.party_levels, parent__isnull=False
        )
        .exclude(pk__in=covered)
        .order_by("path")
    )
    return list(rows[:limit]), rows.count()
