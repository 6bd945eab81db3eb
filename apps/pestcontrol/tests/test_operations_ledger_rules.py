"""The ledger's rules after review: stock of a product stopped or banned since may still be
returned and disposed of; a return is capped at what was issued and not yet returned; an
outbound movement cannot be dated before the batch came in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.pestcontrol.forms.operations import MovementForm
from apps.pestcontrol.models import StockMovement
from apps.pestcontrol.services import drugs
from apps.pestcontrol.tests.helpers_operations import bait, operation, store_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _move(o, store, product, kind, packages, **extra):
    return drugs.movement_create(
        actor=o.street, store=store, kind=kind, product=product, batch_no="B1", packages=packages, **extra
    )


def test_stock_of_a_product_banned_or_stopped_since_can_be_returned_and_disposed_of(org):
    product = bait(org, name="新鼠药", active_ingredient="某成分")
    store = store_with(org, product, packages=10)
    _move(org, store, product, "issue", 4, household_batch="一组")
    drugs.banned_create(actor=org.office, name="某成分", basis="测试")
    with pytest.raises(DomainError, match="某成分"):
        _move(org, store, product, "issue", 1, household_batch="一组")
    with pytest.raises(DomainError, match="某成分"):
        _move(org, store, product, "purchase", 1, expires_on=TODAY() + timedelta(days=300))
    _move(org, store, product, "return", 2)
    _move(org, store, product, "dispose", 8)
    assert drugs.batch_balance(store, product, "B1") == 0

    other = bait(org, name="停用药", registration_no="WP7")
    store2 = store_with(org, other, packages=3)
    drugs.product_update(actor=org.office, product=other, changes={"is_active": False}, expected_version=None)
    _move(org, store2, other, "dispose", 3)
    assert drugs.batch_balance(store2, other, "B1") == 0


def test_movement_form_offers_products_with_stock_here_even_when_stopped(org):
    product = bait(org, name="停用药")
    store = store_with(org, product, packages=3)
    drugs.product_update(actor=org.office, product=product, changes={"is_active": False}, expected_version=None)
    form = MovementForm(user=org.street, store=store)
    assert product in form.fields["product"].queryset
    empty = drugs.store_create(actor=org.street, jurisdiction=org.street_a, name="空库")
    assert product not in MovementForm(user=org.street, store=empty).fields["product"].queryset


def test_return_is_capped_at_what_was_issued_and_not_returned(org):
    product = bait(org)
    store = store_with(org, product, packages=10)
    with pytest.raises(DomainError, match="退回"):
        _move(org, store, product, "return", 1)
    _move(org, store, product, "issue", 4, household_batch="一组")
    _move(org, store, product, "return", 3)
    with pytest.raises(DomainError, match="最多可退回 1"):
        _move(org, store, product, "return", 2)
    _move(org, store, product, "return", 1)
    assert drugs.batch_balance(store, product, "B1") == 10


def test_outbound_dated_before_the_batch_came_in_is_refused(org):
    product = bait(org)
    store = store_with(org, product, packages=10)
    StockMovement.objects.filter(store=store).update(moved_on=TODAY() - timedelta(days=2))
    yesterday, earlier = TODAY() - timedelta(days=1), TODAY() - timedelta(days=5)
    with pytest.raises(DomainError, match="不能早于入库日期"):
        _move(org, store, product, "issue", 1, household_batch="一组", moved_on=earlier)
    with pytest.raises(DomainError, match="不能早于入库日期"):
        _move(org, store, product, "dispose", 1, moved_on=earlier)
    _move(org, store, product, "issue", 1, household_batch="一组", moved_on=yesterday)
    store.jurisdiction = org.comm_a1
    store.save()
    line = {"product": product, "packages": 1, "store": store, "batch_no": "B1"}
    with pytest.raises(DomainError, match="不能早于入库日期"):
        operation(org, performed_on=earlier, lines=[line])
    operation(org, performed_on=yesterday, lines=[line])
    assert drugs.batch_balance(store, product, "B1") == 8
