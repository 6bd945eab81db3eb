"""One batch-balance query for the store list, the store page, the widget and the sweep: the
number of queries does not grow with stores or batches (review: N+1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.pestcontrol.services import drugs
from apps.pestcontrol.tests.helpers_operations import bait

pytestmark = pytest.mark.django_db


def _stores(o, product, n, start=0):
    for i in range(start, start + n):
        store = drugs.store_create(actor=o.street, jurisdiction=o.street_a, name=f"库{i}")
        for batch in ("B1", "B2"):
            drugs.movement_create(
                actor=o.street,
                store=store,
                kind="purchase",
                product=product,
                batch_no=batch,
                packages=5,
                expires_on=timezone.localdate() + timedelta(days=10),
            )


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_store_list_queries_do_not_grow_with_stores(client, org):
    product = bait(org)
    _stores(org, product, 1)
    client.force_login(org.street)
    url = reverse("pestcontrol:store_list")
    client.get(url)
    few = _count(lambda: client.get(url))
    _stores(org, product, 4, start=1)
    assert _count(lambda: client.get(url)) == few
    assert len(drugs.balances_by_store(list(drugs.Store.objects.all()))) == 5


def test_sweep_queries_do_not_grow_with_batches_and_skip_empty_batches(org):
    product = bait(org)
    _stores(org, product, 1)
    store = drugs.Store.objects.get()
    drugs.movement_create(actor=org.street, store=store, kind="dispose", product=product, batch_no="B2", packages=5)
    assert drugs.expiry_sweep() == 1  # B1 only: B2 has nothing left
    _stores(org, product, 3, start=1)
    assert drugs.expiry_sweep() == 6
    # the sweep's reads are fixed (batch totals, stores, products, notifications already sent)
    assert _count(drugs.expiry_sweep) <= 4


def test_line_totals_and_drug_totals_agree(org):
    from decimal import Decimal

    from apps.pestcontrol.models import Operation
    from apps.pestcontrol.selectors import operations as selectors
    from apps.pestcontrol.tests.helpers_operations import operation, spray

    product, liquid = bait(org), spray(org)
    op = operation(org, lines=[{"product": product, "packages": 105}, {"product": liquid, "packages": 3}])
    assert selectors.line_totals(op.drugs.all()) == {"kg": Decimal("105.000"), "litres": Decimal("3.000")}
    assert selectors.drug_totals(Operation.objects.filter(pk=op.pk)) == selectors.line_totals(op.drugs.all())
    assert drugs.product_quantity(product, 105) == Decimal("105.000")
