"""The demo of 除四害作业 for 城关街道 and its communities, through the real services: the drug
list (溴敌隆 bait in 1000 g bags, an insecticide in 1000 ml bottles, sticky boards), a street
store with purchases and issues (one batch expiring soon), a spring rat campaign, a 统一行动 on
one evening with one drug, monthly routine rounds with 105 袋 × 1000 g-like quantities, and
household follow-ups around 98 %.

Its own random source (`f"{seed}-pestcontrol-operations"`): the other builders' draws do not move."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role

from .. import builtin_drugs
from ..models import Product
from ..services import drugs, operations

PRODUCTS = [
    # name, active ingredient, registration no., pests, size, unit, package
    ("溴敌隆毒饵", "溴敌隆 0.005%", "WP20180121", ["rat"], "1000", "g", "袋"),
    ("杀鼠醚毒饵", "杀鼠醚 0.0375%", "WP20150087", ["rat"], "500", "g", "袋"),
    ("高效氯氰菊酯悬浮剂", "高效氯氰菊酯 4.5%", "WP20160045", ["mosquito", "fly"], "1000", "ml", "瓶"),
    ("吡虫啉杀蟑胶饵", "吡虫啉 2.5%", "WP20170033", ["cockroach"], "10", "g", "支"),
]


def _product(row) -> Product:
    name, ingredient, reg, pests, size, unit, package = row
    existing = Product.objects.filter(name=name, registration_no=reg).first()
    if existing is not None:
        return existing
    return drugs.product_create(
        actor=None,
        name=name,
        active_ingredient=ingredient,
        registration_no=reg,
        pests=pests,
        package_size=Decimal(size),
        package_unit=unit,
        package_name=package,
    )


def build(demo) -> None:
    rng = random.Random(f"{demo.seed}-pestcontrol-operations")
    builtin_drugs.ensure()  # a flushed database has lost the migration's list
    today = demo.today
    street_user = User.objects.filter(role=Role.STREET, jurisdiction=demo.street).first()
    communities = list(demo.communities)
    if street_user is None or not communities or demo.street is None:
        return
    small = demo.case_count < 50
    if small:
        communities = communities[:2]
    bait, bait2, spray, gel = (_product(row) for row in PRODUCTS)

    def day(back: int):
        return today - timedelta(days=back)

    # The street's store: purchases, issues to the communities, one batch expiring soon.
    store = drugs.store_create(
        actor=street_user, jurisdiction=demo.street, name="城关街道除四害药品库", keeper="王保管"
    )
    drugs.movement_create(
        actor=street_user,
        store=store,
        kind="purchase",
        product=bait,
        batch_no="DBL2026-03",
        packages=1000,
        moved_on=day(40),
        expires_on=today + timedelta(days=540),
        supplier="绵阳某有害生物防制公司",
    )
    drugs.movement_create(
        actor=street_user,
        store=store,
        kind="purchase",
        product=spray,
        batch_no="LQ2025-11",
        packages=220,
        moved_on=day(35),
        expires_on=today + timedelta(days=20),
        supplier="绵阳某有害生物防制公司",
    )
    drugs.movement_create(
        actor=street_user,
        store=store,
        kind="purchase",
        product=gel,
        batch_no="BCL2026-01",
        packages=300,
        moved_on=day(30),
        expires_on=today + timedelta(days=400),
        supplier="某药械经营部",
    )
    for community in communities:
        drugs.movement_create(
            actor=street_user,
            store=store,
            kind="issue",
            product=bait,
            batch_no="DBL2026-03",
            packages=rng.choice((100, 105, 110)),
            moved_on=day(28),
            to_jurisdiction=community,
        )
    drugs.movement_create(
        actor=street_user,
        store=store,
        kind="issue",
        product=gel,
        batch_no="BCL2026-01",
        packages=40,
        moved_on=day(20),
        household_batch="餐饮单位第一批（40 户）",
    )

    # A spring rat campaign over the street, and a 统一行动 one evening with one drug.
    spring = operations.campaign_create(
        actor=street_user,
        jurisdiction=demo.street,
        kind="spring_rat",
        title="春季灭鼠集中行动",
        pests=["rat"],
        start_date=day(30),
        end_date=day(16),
        standard="室内每 15 平方米投放毒饵 1 堆，外环境沿墙根每 5 米 1 堆",
        product=bait,
        description="各社区同步投放毒饵，回访购药率、保留率不低于 98%。",
    )
    evening = day(3)
    unified = operations.campaign_create(
        actor=street_user,
        jurisdiction=demo.street,
        kind="unified",
        title="灭蚊灭蝇统一行动",
        pests=["mosquito", "fly"],
        start_date=evening,
        end_date=evening,
        unified_at=timezone.make_aware(datetime.combine(evening, time(19, 30))),
        standard="统一时间、统一标准、统一药物：外环境滞留喷洒，每平方米 50 毫升",
        product=spray,
    )
    for number, community in enumerate(communities):
        users = User.objects.filter(role=Role.COMMUNITY, jurisdiction=community)
        actor = users.first() or street_user
        households = rng.randrange(280, 420)
        op = operations.operation_create(
            actor=actor,
            jurisdiction=community,
            campaign=spring,
            kind="campaign",
            performed_on=day(25 - number),
            started_at=time(9, 0),
            pests=["rat"],
            methods=["bait"],
            place=f"{community.name}辖区",
            area_m2=Decimal(rng.randrange(20000, 60000)),
            households_covered=households,
            drains_cleared=rng.randrange(2, 8),
            channels_cleared=rng.randrange(1, 4),
            team=f"{community.name}除四害队",
            drugs=[{"product": bait, "packages": rng.choice((100, 105, 110))}],
        )
        checked = rng.randrange(48, 102)
        operations.followup_create(
            actor=actor,
            operation=op,
            checked_on=day(20 - number),
            households_checked=checked,
            households_bought=checked - rng.choice((0, 1, 1, 2)),
            households_retained=checked - rng.choice((0, 1, 2, 3)),
        )
        if number < len(communities) - 1:  # the last community has not recorded the evening yet
            operations.operation_create(
                actor=actor,
                jurisdiction=community,
                campaign=unified,
                kind="campaign",
                pests=["mosquito", "fly"],
                methods=["residual_spray", "breeding_clearance"],
                place="背街小巷、绿化带",
                area_m2=Decimal(rng.randrange(8000, 20000)),
                breeding_sites_cleared=rng.randrange(10, 40),
                drugs=[{"product": spray, "packages": rng.randrange(8, 15), "store": store, "batch_no": "LQ2025-11"}]
                if actor == street_user
                else [{"product": spray, "packages": rng.randrange(8, 15)}],
            )
    operations.campaign_transition(actor=street_user, campaign=spring, name="hold")
    operations.campaign_transition(actor=street_user, campaign=unified, name="hold")

    # Monthly routine rounds: rats and cockroaches indoors, mosquitoes outdoors.
    months = 2 if small else 4
    for community in communities:
        actor = User.objects.filter(role=Role.COMMUNITY, jurisdiction=community).first() or street_user
        for month in range(months):
            performed = day(7 + 30 * month)
            op = operations.operation_create(
                actor=actor,
                jurisdiction=community,
                kind="routine",
                performed_on=performed,
                pests=["rat", "cockroach"],
                methods=["bait", "gel"],
                place="居民小区、餐饮单位",
                households_covered=rng.randrange(150, 300),
                area_m2=Decimal(rng.randrange(5000, 15000)),
                drugs=[
                    {"product": bait2, "packages": rng.choice((40, 60, 105))},
                    {"product": gel, "packages": rng.randrange(10, 30)},
                ],
            )
            checked = rng.randrange(50, 101)
            operations.followup_create(
                actor=actor,
                operation=op,
                checked_on=min(today, performed + timedelta(days=3)),
                households_checked=checked,
                households_bought=checked - rng.choice((0, 1, 2)),
                households_retained=checked - rng.choice((0, 1, 2, 3)),
            )
