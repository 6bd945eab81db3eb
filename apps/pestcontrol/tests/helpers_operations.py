"""Test helpers of the operations part."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.pestcontrol import builtin_drugs
from apps.pestcontrol.services import drugs, operations


def bait(o, **extra):
    builtin_drugs.ensure()
    fields = {
        "name": "溴敌隆毒饵",
        "active_ingredient": "溴敌隆 0.005%",
        "registration_no": "WP2099",
        "pests": ["rat"],
        "package_size": Decimal("1000"),
        "package_unit": "g",
        "package_name": "袋",
        **extra,
    }
    return drugs.product_create(actor=o.office, **fields)


def spray(o):
    return drugs.product_create(
        actor=o.office,
        name="高效氯氰菊酯",
        active_ingredient="高效氯氰菊酯 4.5%",
        registration_no="WP3099",
        pests=["mosquito", "fly"],
        package_size=Decimal("1000"),
        package_unit="ml",
        package_name="瓶",
    )


def store_with(o, product, packages=100, expires_in=365, batch="B1"):
    store = drugs.store_create(actor=o.street, jurisdiction=o.street_a, name="甲街道药品库")
    drugs.movement_create(
        actor=o.street,
        store=store,
        kind="purchase",
        product=product,
        batch_no=batch,
        packages=packages,
        expires_on=timezone.localdate() + timedelta(days=expires_in),
    )
    return store


def operation(o, actor=None, jurisdiction=None, lines=(), **extra):
    fields = {"performed_on": timezone.localdate(), "pests": ["rat"], "methods": ["bait"], **extra}
    return operations.operation_create(
        actor=actor or o.community, jurisdiction=jurisdiction or o.comm_a1, drugs=list(lines), **fields
    )
