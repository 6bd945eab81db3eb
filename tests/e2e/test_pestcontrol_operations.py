"""除四害作业 on a phone and the drug ledger at the desk: the community records a bait round of
105 袋 × 1000 g and sees 105 kg; the office's attempt to add 毒鼠强 to the drug list is refused
with the substance named; a store issue beyond the balance is refused."""

import re

import pytest

from apps.pestcontrol.models import Operation, Product, StockMovement, Store

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _fill(phone, bait):
    phone.check("#id_pests_0")  # 鼠
    phone.check("#id_methods_0")  # 毒饵
    phone.fill("#id_place", "东苑小区")
    phone.fill("#id_households_covered", "320")
    phone.select_option("#id_drug-0-product", str(bait.pk))
    phone.fill("#id_drug-0-packages", "105")


def test_community_records_105_bags_on_a_phone_and_sees_105_kg(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bait = Product.objects.get(name="溴敌隆毒饵")
    before = Operation.objects.count()

    phone = new_page(viewport=PHONE)
    login(phone, "dongyuan")
    phone.goto("/pestcontrol/operations/")
    phone.get_by_test_id("operation-new").click()
    _fill(phone, bait)
    assert_no_horizontal_overflow(phone)
    shot(phone, "pestcontrol-operation-phone-form")
    # A full-page screenshot leaves the emulated phone's layout unsettled (a tap right after it
    # lands its mouseup elsewhere): open the form again and fill it as a person would.
    phone.reload()
    _fill(phone, bait)
    phone.get_by_test_id("operation-save").click()
    phone.wait_for_url(re.compile(r".*/pestcontrol/operations/\d+/$"))
    assert Operation.objects.count() == before + 1
    assert "105 kg" in phone.get_by_test_id("drug-quantity").inner_text()
    assert "105 kg" in phone.get_by_test_id("operation-kg").inner_text()
    assert_no_horizontal_overflow(phone)
    shot(phone, "pestcontrol-operation-phone-detail")


def test_desk_is_refused_a_banned_product_and_an_overdraw(new_page, demo):
    desk = new_page()
    login(desk, "cwb")
    desk.goto("/pestcontrol/drugs/products/")
    desk.get_by_test_id("product-new").click()
    desk.fill("#id_name", "毒鼠强")
    desk.fill("#id_active_ingredient", "四亚甲基二砜四胺")
    desk.fill("#id_package_size", "100")
    desk.select_option("#id_package_unit", "g")
    desk.get_by_test_id("pest-save").click()
    errors = desk.locator(".form-errors").inner_text()
    assert "毒鼠强" in errors and "国家禁用药物" in errors
    assert not Product.objects.filter(name="毒鼠强").exists()
    shot(desk, "pestcontrol-banned-product-refused")
    desk.goto("/pestcontrol/drugs/banned/")
    assert "四二四" in desk.get_by_test_id("banned-table").inner_text()
    shot(desk, "pestcontrol-banned-list")

    street = new_page()
    login(street, "street")
    store = Store.objects.get(name="城关街道除四害药品库")
    bait = Product.objects.get(name="溴敌隆毒饵")
    issues = StockMovement.objects.filter(kind="issue").count()
    street.goto(f"/pestcontrol/drugs/stores/{store.pk}/")
    assert street.get_by_test_id("batch-expiring").count() >= 1
    shot(street, "pestcontrol-store-ledger")
    street.select_option("#id_kind", "issue")
    street.select_option("#id_product", str(bait.pk))
    street.fill("#id_batch_no", "DBL2026-03")
    street.fill("#id_packages", "100000")
    street.fill("#id_household_batch", "第二批住户")
    street.get_by_test_id("movement-save").click()
    street.wait_for_load_state()
    assert "库存不足" in street.locator("body").inner_text()
    assert StockMovement.objects.filter(kind="issue").count() == issues
    shot(street, "pestcontrol-store-overdraw-refused")
