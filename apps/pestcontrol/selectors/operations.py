"""Reads of operations, campaigns, follow-ups and the drug ledger, always restricted to what the
user may see."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from apps.organization.models import Jurisdiction

from ..choices import CampaignStatus, PackageUnit
from ..filters.operations import CampaignFilterSet, MovementFilterSet, OperationFilterSet
from ..models import FollowUpCheck, Operation, OperationDrug, PestCampaign, StockMovement, Store
from ..services.operations import followup_rates

KG = Decimal("0.001")


def operation_list(*, user, filters=None) -> QuerySet[Operation]:
    qs = Operation.objects.restrict(user).select_related("jurisdiction", "campaign", "contractor")
    qs = OperationFilterSet.apply(qs, filters, user=user)
    return qs.order_by("-performed_on", "-id")


def operation_rows(*, user, filters=None) -> QuerySet[Operation]:
    return operation_list(user=user, filters=filters).prefetch_related(
        Prefetch("drugs", queryset=OperationDrug.objects.select_related("product")), "follow_ups"
    )


def operation_detail_qs():
    return Operation.objects.select_related("jurisdiction", "campaign", "contractor", "created_by").prefetch_related(
        Prefetch("drugs", queryset=OperationDrug.objects.select_related("product", "movement__store")),
        "follow_ups",
        "photos",
    )


def line_totals(lines) -> dict:
    """kg (g packages) and L (ml packages) of drug lines already loaded — the Python twin of
    `drug_totals`, both from packages × size ÷ 1000 (`OperationDrug.quantity`)."""
    kg, litres = Decimal(0), Decimal(0)
    for line in lines:
        if line.package_unit == PackageUnit.GRAM:
            kg += line.quantity
        elif line.package_unit == PackageUnit.MILLILITRE:
            litres += line.quantity
    return {"kg": kg, "litres": litres}


def drug_totals(operations: QuerySet[Operation]) -> dict:
    """kg (g packages) and L (ml packages) of the drug lines of `operations`, in one query."""
    ids = operations.order_by().values("pk")
    lines = OperationDrug.objects.filter(operation__in=ids)
    # Grams (millilitres) summed in the database, divided by 1000 here: SQLite would divide
    # whole numbers as integers.
    amount = ExpressionWrapper(
        F("packages") * F("package_size"), output_field=DecimalField(max_digits=20, decimal_places=2)
    )
    row = lines.aggregate(
        kg=Sum(amount, filter=Q(package_unit=PackageUnit.GRAM)),
        litres=Sum(amount, filter=Q(package_unit=PackageUnit.MILLILITRE)),
    )
    return {
        "kg": (Decimal(row["kg"] or 0) / 1000).quantize(KG),
        "litres": (Decimal(row["litres"] or 0) / 1000).quantize(KG),
    }


def operation_totals(operations: QuerySet[Operation]) -> dict:
    """Count, households, area, drains, sites, kg and L, and the follow-up rates of `operations`."""
    ids = operations.order_by().values("pk")
    base = Operation.objects.filter(pk__in=ids).aggregate(
        count=Count("pk"),
        households=Coalesce(Sum("households_covered"), 0),
        area=Coalesce(Sum("area_m2"), Decimal(0), output_field=DecimalField()),
        drains=Coalesce(Sum("drains_cleared"), 0),
        channels=Coalesce(Sum("channels_cleared"), 0),
        sites=Coalesce(Sum("breeding_sites_cleared"), 0),
    )
    checks = FollowUpCheck.objects.filter(operation__in=ids).aggregate(
        checked=Coalesce(Sum("households_checked"), 0),
        bought=Coalesce(Sum("households_bought"), 0),
        retained=Coalesce(Sum("households_retained"), 0),
    )
    return {
        **base,
        **drug_totals(operations),
        **checks,
        **followup_rates(checks["checked"], checks["bought"], checks["retained"]),
    }


def list_totals(*, user, filters=None) -> dict:
    return operation_totals(operation_list(user=user, filters=filters))


# Campaigns ----------------------------------------------------------------------------------


def campaign_list(*, user, filters=None) -> QuerySet[PestCampaign]:
    qs = PestCampaign.objects.restrict(user).select_related("jurisdiction", "product")
    qs = CampaignFilterSet.apply(qs, filters, user=user)
    return qs.annotate(operation_count=Count("operations")).order_by("-start_date", "-id")


def campaign_detail_qs():
    return PestCampaign.objects.select_related("jurisdiction", "product", "created_by")


def campaign_rows(*, user, campaign: PestCampaign) -> list[dict]:
    """The campaign's operations per participating jurisdiction: its children (the communities
    of a street's campaign) or the jurisdiction itself when it has none; one with no operation
    recorded yet is marked missing."""
    operations = Operation.objects.restrict(user).filter(campaign=campaign).select_related("jurisdiction")
    children = list(Jurisdiction.objects.restrict(user).filter(parent=campaign.jurisdiction).order_by("path")) or [
        campaign.jurisdiction
    ]
    ops = list(operations.prefetch_related(Prefetch("drugs", queryset=OperationDrug.objects.select_related("product"))))
    rows = []
    for place in children:
        mine = [op for op in ops if op.jurisdiction.path.startswith(place.path)]
        rows.append(
            {
                "place": place,
                "operations": mine,
                "missing": not mine,
                "households": sum(op.households_covered for op in mine),
                "area": sum((op.area_m2 for op in mine), Decimal(0)),
                **line_totals(d for op in mine for d in op.drugs.all()),
            }
        )
    placed = {op.pk for row in rows for op in row["operations"]}
    stray = [op for op in ops if op.pk not in placed]
    if stray:  # recorded at the campaign's own level
        rows.insert(
            0,
            {
                "place": campaign.jurisdiction,
                "operations": stray,
                "missing": False,
                "households": sum(op.households_covered for op in stray),
                "area": sum((op.area_m2 for op in stray), Decimal(0)),
                **line_totals(d for op in stray for d in op.drugs.all()),
            },
        )
    return rows


def campaign_totals(*, user, campaign: PestCampaign) -> dict:
    return operation_totals(Operation.objects.restrict(user).filter(campaign=campaign))


def held_campaigns(qs: QuerySet[PestCampaign]) -> QuerySet[PestCampaign]:
    return qs.filter(status=CampaignStatus.HELD)


# Follow-ups ---------------------------------------------------------------------------------


def followup_view(check: FollowUpCheck) -> dict:
    return {
        "check": check,
        **followup_rates(check.households_checked, check.households_bought, check.households_retained),
    }


# Drug ledger --------------------------------------------------------------------------------


def store_list(*, user) -> QuerySet[Store]:
    return Store.objects.restrict(user).select_related("jurisdiction").order_by("jurisdiction__path", "name")


def movement_list(*, user, filters=None, store: Store | None = None) -> QuerySet[StockMovement]:
    qs = StockMovement.objects.restrict(user).select_related(
        "store__jurisdiction", "product", "to_jurisdiction", "created_by"
    )
    if store is not None:
        qs = qs.filter(store=store)
    qs = MovementFilterSet.apply(qs, filters, user=user)
    return qs.order_by("-moved_on", "-id")
