"""Pages and API of the operations part: the phone form with 105 袋 × 1000 g showing 105 kg, a
banned product refused in the form, an issue beyond the balance refused, lists with strict
filters and exports, the campaign page per community, the API with computed kg."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.pestcontrol.models import Operation, Product, StockMovement
from apps.pestcontrol.services import operations
from apps.pestcontrol.tests.helpers_operations import bait, operation, store_with

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _form(o, product, **extra):
    data = {
        "jurisdiction": o.comm_a1.pk,
        "kind": "routine",
        "performed_on": TODAY().isoformat(),
        "pests": ["rat"],
        "methods": ["bait"],
        "households_covered": "320",
        "executor_kind": "own",
        "drug-TOTAL_FORMS": "2",
        "drug-INITIAL_FORMS": "0",
        "drug-MIN_NUM_FORMS": "0",
        "drug-MAX_NUM_FORMS": "20",
        "drug-0-product": product.pk,
        "drug-0-packages": "105",
    }
    data.update(extra)
    return data


def test_record_operation_shows_105_kg(client, org):
    product = bait(org)
    client.force_login(org.community)
    response = client.post(reverse("pestcontrol:operation_create"), _form(org, product))
    assert response.status_code == 302, response.content.decode()[:2000]
    op = Operation.objects.get()
    page = client.get(op.get_absolute_url()).content.decode()
    assert "105 kg" in page
    listing = client.get(reverse("pestcontrol:operation_list")).content.decode()
    assert "105" in listing


def test_operation_form_errors_are_400_not_500(client, org):
    product = bait(org)
    client.force_login(org.community)
    response = client.post(reverse("pestcontrol:operation_create"), _form(org, product, **{"drug-0-packages": "-3"}))
    assert response.status_code == 400
    response = client.post(
        reverse("pestcontrol:operation_create"),
        _form(org, product, performed_on=(TODAY() + timedelta(days=2)).isoformat()),
    )
    assert response.status_code == 400 and "晚于今天" in response.content.decode()
    assert not Operation.objects.exists()


def test_banned_product_refused_in_the_form(client, org):
    bait(org)
    client.force_login(org.office)
    response = client.post(
        reverse("pestcontrol:product_create"),
        {
            "name": "毒鼠强",
            "active_ingredient": "四亚甲基二砜四胺",
            "package_size": "100",
            "package_unit": "g",
            "package_name": "袋",
        },
    )
    assert response.status_code == 400
    assert "毒鼠强" in response.content.decode() and "国家禁用药物" in response.content.decode()
    assert not Product.objects.filter(name="毒鼠强").exists()


def test_issue_beyond_balance_refused_on_the_store_page(client, org):
    product = bait(org)
    store = store_with(org, product, packages=10)
    client.force_login(org.street)
    response = client.post(
        reverse("pestcontrol:movement_create", args=[store.pk]),
        {
            "kind": "issue",
            "product": product.pk,
            "batch_no": "B1",
            "packages": "11",
            "moved_on": TODAY().isoformat(),
            "to_jurisdiction": org.comm_a1.pk,
        },
        follow=True,
    )
    assert "库存不足" in response.content.decode()
    assert StockMovement.objects.filter(kind="issue").count() == 0
    page = client.get(store.get_absolute_url()).content.decode()
    assert "B1" in page


def test_store_page_flags_batches_expiring_soon(client, org):
    product = bait(org)
    store_with(org, product, packages=10, expires_in=5)
    client.force_login(org.street)
    page = client.get(reverse("pestcontrol:store_list")).content.decode()
    assert 'data-testid="batch-expiring"' in page


def test_list_filters_are_strict_and_export(client, org):
    product = bait(org)
    operation(org, lines=[{"product": product, "packages": 3}])
    operation(org, pests=["mosquito"], methods=["space_spray"])
    client.force_login(org.street)
    url = reverse("pestcontrol:operation_list")
    assert client.get(url, {"pest": "rat"}).context["page"].paginator.count == 1
    assert client.get(url, {"pest": "bogus"}).status_code == 400
    assert client.get(url, {"start": "2026-13-01"}).status_code == 400
    assert client.get(url, {"jurisdiction": org.comm_b1.pk}).status_code == 400
    response = client.get(url, {"export": "xlsx", "jurisdiction": org.street_a.pk})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]


def test_campaign_page_lists_communities_and_missing(client, org):
    product = bait(org)
    campaign = operations.campaign_create(
        actor=org.street,
        jurisdiction=org.street_a,
        kind="spring_rat",
        title="春季灭鼠",
        pests=["rat"],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    operation(org, campaign=campaign, lines=[{"product": product, "packages": 105}])
    client.force_login(org.street)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "甲一社区" in page and "甲二社区" in page and "未登记" in page and "105 kg" in page
    response = client.post(
        reverse("pestcontrol:campaign_transition", args=[campaign.pk, "cancel"]),
        {"version": campaign.version},
        follow=True,
    )
    assert "取消原因" in response.content.decode()


def test_campaign_form_unified_needs_time(client, org):
    client.force_login(org.street)
    response = client.post(
        reverse("pestcontrol:campaign_create"),
        {
            "kind": "unified",
            "title": "统一行动",
            "jurisdiction": org.street_a.pk,
            "start_date": TODAY().isoformat(),
            "end_date": TODAY().isoformat(),
        },
    )
    assert response.status_code == 400 and "统一行动时间" in response.content.decode()


def test_api_lists_drug_lines_with_kg(client, org):
    product = bait(org)
    op = operation(org, lines=[{"product": product, "packages": 105}])
    operations.followup_create(
        actor=org.community,
        operation=op,
        checked_on=TODAY(),
        households_checked=50,
        households_bought=49,
        households_retained=50,
    )
    client.force_login(org.street)
    data = client.get("/api/v1/pest-operations/").json()
    row = data["results"][0] if "results" in data else data[0]
    assert row["drugs"][0]["quantity"] == "105.000" and row["drugs"][0]["quantity_unit"] == "kg"
    assert row["follow_ups"][0]["purchase_rate"] == "98.00"
    detail = client.get(f"/api/v1/pest-operations/{op.pk}/").json()
    assert Decimal(detail["drugs"][0]["package_size"]) == 1000
    assert client.get("/api/v1/pest-operations/", {"pest": "nope"}).status_code == 400
    client.force_login(org.community_other)
    assert client.get(f"/api/v1/pest-operations/{op.pk}/").status_code == 404
