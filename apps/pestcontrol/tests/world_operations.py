"""The operations part of the access-matrix world: community A1's operation (with a drug line,
a photo and a follow-up), a campaign of A1 and one to cancel, a product, a store with stock."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.activities.tests.helpers import jpeg
from apps.pestcontrol import builtin_drugs
from apps.pestcontrol.models import BannedSubstance
from apps.pestcontrol.services import drugs, operations


def extend(o) -> None:
    builtin_drugs.ensure()
    today = timezone.localdate()
    o.pest_today = today
    o.pest_banned = BannedSubstance.objects.get(name="毒鼠强")
    o.pest_product = drugs.product_create(
        actor=o.office,
        name="溴敌隆毒饵",
        active_ingredient="溴敌隆 0.005%",
        registration_no="WP20990001",
        pests=["rat"],
        package_size=Decimal("1000"),
        package_unit="g",
        package_name="袋",
    )
    o.pest_store = drugs.store_create(actor=o.community, jurisdiction=o.comm_a1, name="甲一社区药品库")
    drugs.movement_create(
        actor=o.community,
        store=o.pest_store,
        kind="purchase",
        product=o.pest_product,
        batch_no="B1",
        packages=100,
        expires_on=today + timedelta(days=365),
        supplier="某公司",
    )
    o.pest_campaign = operations.campaign_create(
        actor=o.community,
        jurisdiction=o.comm_a1,
        kind="spring_rat",
        title="甲一春季灭鼠",
        pests=["rat"],
        start_date=today,
        end_date=today + timedelta(days=10),
    )
    o.pest_campaign_to_cancel = operations.campaign_create(
        actor=o.community,
        jurisdiction=o.comm_a1,
        kind="cockroach",
        title="甲一灭蟑",
        pests=["cockroach"],
        start_date=today,
        end_date=today,
    )
    o.pest_operation = operations.operation_create(
        actor=o.community,
        jurisdiction=o.comm_a1,
        campaign=o.pest_campaign,
        kind="campaign",
        performed_on=today,
        pests=["rat"],
        methods=["bait"],
        households_covered=300,
        drugs=[{"product": o.pest_product, "packages": 105, "package_size": Decimal("1000"), "package_unit": "g"}],
        photos=[jpeg()],
    )
    o.pest_followup = operations.followup_create(
        actor=o.community,
        operation=o.pest_operation,
        checked_on=today,
        households_checked=50,
        households_bought=49,
        households_retained=48,
    )
    o.pest_grid_operation = operations.operation_create(
        actor=o.grid,
        jurisdiction=o.grid_a1,
        performed_on=today,
        pests=["rat"],
        methods=["bait"],
        households_covered=20,
    )
    o.pest_desk_operation_in_grid = operations.operation_create(  # in the grid worker's area, not theirs
        actor=o.community,
        jurisdiction=o.grid_a1,
        performed_on=today,
        pests=["rat"],
        methods=["bait"],
        households_covered=10,
    )
