"""Inspections as the people involved do them: the office builds a score sheet, the street
plans a sampled round, an inspector scores a shop on a phone while the connection drops,
the deductions become cases, the shop appeals and wins, the ranking and the 通报 follow."""

import io
import time
from decimal import Decimal as D

import pytest
from django.utils import timezone
from docx import Document
from PIL import Image

from apps.accounts.models import User
from apps.core.roles import Role
from apps.inspections import services
from apps.inspections.models import ChecklistTemplate, FlagAward, Inspection, InspectionRound, PublishedRanking
from apps.organization.models import Unit

from .conftest import DEMO_PASSWORD, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path, name, color):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _unit_contact(unit: Unit, username: str) -> User:
    user = User(username=username, last_name="店长", first_name=username, role=Role.UNIT_CONTACT, unit=unit)
    user.jurisdiction_id = unit.jurisdiction_id
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _card(page, code):
    return page.locator(f".sheet-item[data-code='{code}']")


def _wait_synced(page):
    page.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'ok'")


def _eventually(check, timeout=10.0):
    """Wait until the server has what the phone sent (the outbox is asynchronous)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the phone's entries did not reach the server"
        time.sleep(0.1)


def _build_checklist(page):
    """The office builds a two-item score sheet for shops through the pages."""
    page.goto("/inspections/checklists/")
    page.get_by_role("link", name="新建检查表").click()
    page.fill("#id_name", "沿街商户门前三包检查表（试行）")
    page.fill("#id_code", "shops-trial")
    page.select_option("#id_target_kind", "unit")
    page.get_by_label("商户/门店").check()
    page.click("button[type=submit]")
    page.wait_for_url("**/inspections/checklists/*/")
    page.get_by_test_id("section-form").locator("input[name=name]").fill("一、门前卫生")
    page.get_by_test_id("section-form").get_by_role("button").click()
    page.wait_for_load_state()
    for code, text, max_score, rule, deduction, cap, photo in [
        ("A", "门前无垃圾、无污水", "10", "per_occurrence", "2", "6", True),
        ("B", "门前无乱堆乱放、无店外经营", "10", "fixed", "3", "", False),
    ]:
        page.get_by_role("link", name="添加检查项目").click()
        page.fill("#id_code", code)
        page.fill("#id_text", text)
        page.fill("#id_max_score", max_score)
        page.select_option("#id_rule", rule)
        page.fill("#id_deduction", deduction)
        page.fill("#id_cap", cap)
        page.set_checked("#id_photo_required", photo)
        page.click("button[type=submit]")
        page.wait_for_url("**/inspections/checklists/*/")
    assert page.get_by_test_id("max-total").inner_text() == "20.0"
    shot(page, "inspections-checklist")
    return ChecklistTemplate.objects.get(code="shops-trial")


def _plan_round(page, template):
    """The street plans a monthly check of two shops drawn at random, seed recorded."""
    page.goto("/inspections/plans/")
    page.get_by_role("link", name="新建检查计划").click()
    page.fill("#id_name", "沿街商户月度抽查")
    page.select_option("#id_template", label=template.name)
    page.select_option("#id_kind", "monthly_joint")
    page.get_by_label("商户/门店").check()
    page.select_option("#id_sample_mode", "count")
    page.fill("#id_sample_count", "2")
    page.get_by_label("吴国强（督查员）").check()
    page.click("button[type=submit]")
    page.wait_for_url("**/inspections/plans/*/")
    page.get_by_role("link", name="开启一轮检查").click()
    page.fill("#id_seed", "20261122")
    page.click("button[type=submit]")
    page.wait_for_url("**/inspections/rounds/*/")
    assert page.get_by_test_id("seed").inner_text() == "20261122"
    assert "中抽取 2 个" in page.get_by_test_id("sampling").inner_text()
    shot(page, "inspections-round")
    round_ = InspectionRound.objects.get(seed=20261122)
    sheets = list(round_.inspections.order_by("target_unit_id"))
    assert len(sheets) == 2 and all(s.inspector.username == "inspector" for s in sheets)
    return sheets


def test_inspection_appeal_ranking_and_bulletin(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = new_page()
    login(office, "cwb")
    template = _build_checklist(office)

    street = new_page()
    login(street, "street")
    first, second = _plan_round(street, template)
    shop, rival = first.target_unit, second.target_unit

    # The rival shop's sheet is done by another inspection (1 × A with a photo, B: −5 in all).
    items = {i.code: i for i in template.current_version.items.all()}
    inspector = User.objects.get(username="inspector")
    for code in ("A", "B"):
        services.inspection_save_item(
            actor=inspector, inspection=second, item_id=items[code].pk, occurrences=1, note="门口有垃圾", stamp=1
        )
    from apps.cases.tests.conftest import jpeg

    services.inspection_add_photo(actor=inspector, inspection=second, item_id=items["A"].pk, upload=jpeg())
    services.inspection_submit(actor=inspector, inspection=second, open_cases=False)

    # The inspector scores the first shop on a phone; the connection drops in the middle.
    phone = new_page(viewport=PHONE)
    login(phone, "inspector")
    phone.goto("/inspections/")
    phone.get_by_test_id("my-inspections").locator("tr", has_text=shop.name).get_by_role("link").click()
    phone.wait_for_url(f"**/inspections/{first.pk}/fill/")
    card_a, card_b = _card(phone, "A"), _card(phone, "B")
    card_a.locator("[data-step='1']").click()
    card_a.locator("[data-step='1']").click()
    assert phone.locator("#total").inner_text() == "16.0"
    card_a.locator("textarea[name=note]").fill("门口两处垃圾未清理")
    card_a.locator("input[name=photo]").set_input_files(_photo(tmp_path, "a.jpg", (120, 80, 40)))
    _eventually(lambda: Inspection.objects.get(pk=first.pk).results.get(item=items["A"]).photos.count() == 1)
    _wait_synced(phone)

    phone.context.set_offline(True)
    card_b.get_by_test_id("fixed-toggle").click()  # a fixed deduction is one switch (issue 8, item 12)
    card_b.locator("textarea[name=note]").fill("店外摆放货物")
    card_b.locator("textarea[name=note]").blur()
    card_b.locator("input[name=photo]").set_input_files(_photo(tmp_path, "b.jpg", (90, 90, 160)))  # kept as a Blob
    phone.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'offline'")
    assert phone.locator("#total").inner_text() == "13.0"  # the running total goes on offline
    assert "网络已断开" in phone.get_by_test_id("sync-state").inner_text()
    shot(phone, "inspections-fill-offline-phone")
    assert not Inspection.objects.get(pk=first.pk).results.filter(item=items["B"]).exists()
    phone.context.set_offline(False)
    _wait_synced(phone)
    _eventually(lambda: Inspection.objects.get(pk=first.pk).results.get(item=items["B"]).photos.count() == 1)
    result_b = Inspection.objects.get(pk=first.pk).results.get(item=items["B"])
    assert (result_b.occurrences, result_b.deduction, result_b.note) == (1, D(3), "店外摆放货物")

    # The server stays unreachable while the page is reopened: entries survive in the phone.
    phone.route("**/items/**", lambda route: route.abort())
    card_a = _card(phone, "A")
    card_a.locator("textarea[name=note]").fill("门口两处垃圾未清理，垃圾桶无盖")
    card_a.locator("textarea[name=note]").blur()
    phone.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'offline'")
    phone.reload()
    assert _card(phone, "A").locator("textarea[name=note]").input_value() == "门口两处垃圾未清理，垃圾桶无盖"
    phone.unroute("**/items/**")
    _wait_synced(phone)
    assert Inspection.objects.get(pk=first.pk).results.get(item=items["A"]).note == "门口两处垃圾未清理，垃圾桶无盖"
    assert_no_horizontal_overflow(phone)

    phone.fill("#id_representative_name", "王店长")
    phone.check("#id_representative_confirmed")
    phone.get_by_test_id("submit-sheet").click()
    phone.wait_for_url(f"**/inspections/{first.pk}/")
    assert phone.get_by_test_id("sheet-total").inner_text() == "13.0"
    assert phone.get_by_test_id("sheet-status").inner_text() == "已提交"
    case_links = phone.get_by_test_id("finding-case")
    assert case_links.count() == 2  # both deductions opened rectification cases
    shot(phone, "inspections-detail-phone")
    case_links.first.click()
    phone.wait_for_url("**/cases/*/")
    assert shop.name in phone.get_by_test_id("source-inspection").inner_text()
    assert phone.get_by_test_id("case-status").inner_text() == "处置中"

    # The street publishes the month's ranking of shops: the rival leads (75 vs 65).
    street.goto("/inspections/rankings/")
    street.select_option("#id_level", label="商户/门店")
    street.select_option("#id_period_kind", "month")
    street.get_by_test_id("ranking-filters").get_by_role("button").click()
    table = street.get_by_test_id("ranking-table")
    assert table.locator("tr[data-rank='1']").inner_text().count(rival.name) == 1
    shot(street, "inspections-ranking")
    street.fill("#id_number", "城关创卫通〔2026〕11号")
    street.get_by_test_id("publish-form").get_by_role("button").click()
    street.wait_for_url("**/inspections/rankings/*/")
    published = PublishedRanking.objects.get()
    assert {f.target_label for f in FlagAward.objects.filter(kind="red")} == {rival.name}

    # The shop appeals deduction B with a photo of the cleared frontage.
    _unit_contact(shop, "shop_owner")
    owner = new_page(viewport=PHONE)
    login(owner, "shop_owner")
    owner.goto("/inspections/")
    owner.get_by_test_id("inspection-table").get_by_role("link", name=shop.name).click()
    owner.get_by_test_id("appeal-B").click()
    owner.fill("#id_reason", "货物为当天卸货临时摆放，10分钟内已收回，附照片")
    owner.set_input_files("#id_photos", _photo(tmp_path, "evidence.jpg", (60, 160, 60)))
    owner.click("button[type=submit]")
    owner.wait_for_url("**/inspections/appeals/*/")
    assert owner.get_by_test_id("appeal-status").inner_text() == "待复核"
    shot(owner, "inspections-appeal-phone")

    # The street reviews and overturns it; the score, the ranking and the flag follow.
    street.goto("/inspections/appeals/")
    street.get_by_test_id("appeal-table").get_by_role("link", name=shop.name).click()
    street.check("input[name=decision][value=overturn]")
    street.fill("#id_note", "照片与监控核实，货物临时卸货，撤销该项扣分")
    street.get_by_test_id("appeal-decision").get_by_role("button").click()
    street.wait_for_load_state()
    assert street.get_by_test_id("appeal-status").inner_text() == "撤销扣分"
    sheet = Inspection.objects.get(pk=first.pk)
    assert (sheet.total, sheet.original_total, sheet.percent) == (D(16), D(13), D("80.0"))

    street.goto(published.get_absolute_url())
    assert street.get_by_test_id("revision").is_visible()
    first_row = street.get_by_test_id("ranking-table").locator("tr[data-rank='1']")
    assert shop.name in first_row.inner_text() and first_row.locator("[data-flag=red]").count() == 1
    assert "已因重新计算撤销" in street.get_by_test_id("flags").inner_text()
    shot(street, "inspections-published")

    with street.expect_download() as download:
        street.get_by_test_id("bulletin-docx").click()
    document = Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "城关创卫通〔2026〕11号" in text
    assert cells[7:10] == ["1", shop.name, "80.0"] and cells[14:17] == ["2", rival.name, "75.0"]
    assert f"{shop.name}本期成绩突出，授予流动红旗" in text
    assert f"{rival.name}：综合得分75.0分" in text and "门口有垃圾" in text
    images = [rel for rel in document.part.rels.values() if "image" in rel.reltype]
    assert images, "the criticised shop's photo is in the bulletin"
    assert timezone.localdate().year == published.period_start.year


def test_the_other_inspection_pages(new_page, demo, tmp_path, settings):
    """Lists, ad-hoc inspection, correction, rules, flag history and the wall as their users see them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_page()
    login(page, "inspector")
    page.locator(".mainnav").get_by_role("link", name="检查", exact=True).click()
    page.get_by_role("link", name="现场检查").click()
    page.select_option("#id_template", label="餐饮单位")
    restaurant = Unit.objects.filter(unit_type__code="catering", status="operating").order_by("id").first()
    page.select_option("#id_unit", label=restaurant.name)
    page.click("button[type=submit]")
    page.wait_for_url("**/fill/")
    sheet = Inspection.objects.get(target_unit=restaurant)
    # The session expires in the middle: the entry stays on the phone until the inspector logs in again.
    counted = sheet.checklist.items.filter(rule="per_occurrence").order_by("id").first()
    page.context.clear_cookies()
    _card(page, counted.code).locator("[data-step='1']").click()
    page.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'error'")
    assert "登录已过期" in page.get_by_test_id("sync-state").inner_text()
    assert not sheet.results.exists()
    login(page.context.new_page(), "inspector")
    _wait_synced(page)
    assert sheet.results.get(item=counted).occurrences == 1
    _card(page, counted.code).locator("[data-step='-1']").click()
    _wait_synced(page)
    page.get_by_test_id("submit-sheet").click()
    page.wait_for_url("**/inspections/*/")
    assert page.get_by_test_id("sheet-total").inner_text() == "100.0"

    street = new_page()
    login(street, "street")
    street.goto(sheet.get_absolute_url())
    # The street corrects a pass/fail item the inspector passed (the video shows no licence on the wall).
    licence = sheet.checklist.items.filter(rule="pass_fail").order_by("id").first()
    street.get_by_test_id("all-items").locator(f"li[data-item='{licence.code}']").get_by_role("link").click()
    street.uncheck("#id_passed")
    street.fill("#id_reason", "复核录像：现场未公示许可证")
    street.click("button[type=submit]")
    street.wait_for_url(f"**/inspections/{sheet.pk}/")
    assert street.get_by_test_id("score-changes").is_visible()
    assert street.get_by_test_id("sheet-original").inner_text() == "100.0"
    shot(street, "inspections-correction")

    street.goto("/inspections/rankings/rules/")
    street.fill("#id_weight_inspection", "0.7")
    street.fill("#id_weight_closure", "0.2")
    street.click("button[type=submit]")
    street.wait_for_url("**/inspections/rankings/")
    assert "× 0.70" in street.content()
    street.select_option("#id_level", label="餐饮单位")
    street.get_by_test_id("ranking-filters").get_by_role("button").click()
    street.get_by_test_id("publish-form").get_by_role("button").click()
    street.wait_for_url("**/inspections/rankings/*/")
    for url in (
        "/inspections/plans/",
        "/inspections/checklists/",
        "/inspections/appeals/",
        "/inspections/rankings/flags/",
    ):
        street.goto(url)
        assert street.locator("h1").first.is_visible()
    assert restaurant.name in street.get_by_test_id("flag-table").inner_text()
    shot(street, "inspections-flags")

    unit_page = new_page(viewport=PHONE)
    login(unit_page, "unit")
    unit_page.locator(".nav-toggle-label").click()  # the phone's collapsed menu
    unit_page.locator(".mainnav").get_by_role("link", name="评比", exact=True).click()
    unit_page.wait_for_url("**/inspections/wall/")
    assert "检查评比情况的通报" in unit_page.content()
    assert_no_horizontal_overflow(unit_page)
    shot(unit_page, "inspections-wall-phone")
