"""Clicking through every organisation page as the people who use them.

Each test logs in as a demo role, reaches pages through the visible menu, links and
buttons, and checks both what the page shows afterwards and what the database holds.
"""

import re
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.core.personal import mask_phone
from apps.organization.models import (
    GroupMember,
    Jurisdiction,
    License,
    Staff,
    Unit,
    WorkGroup,
    Zone,
    ZoneAssignment,
)

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


# Helpers -------------------------------------------------------------------------


def sign_in(page, username, password=None):
    """Log in and wait until the signed-in shell (not the login page) is shown."""
    if password is None:
        login(page, username)
    else:
        login(page, username, password)
    expect(page.get_by_test_id("current-user")).to_be_attached()  # hidden behind the menu on phones


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/")


def menu(page, label, url_glob):
    page.locator(".mainnav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(url_glob)


def action(page, label):
    """A button-styled link in the page's action bar or toolbar (编辑, 新增…, 移动 …)."""
    page.locator("main").get_by_role("link", name=label, exact=True).first.click()


def save(page):
    page.locator("main").get_by_role("button", name="保存", exact=True).click()


def filter_list(page):
    page.locator("form.filters").get_by_role("button", name="筛选").click()


def expect_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def data_rows(table):
    """Body rows of a table that hold data (not the header, not the "empty" row)."""
    return table.locator("tr:has(td):not(:has(td[colspan]))")


def row_cells(row):
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def trail_rows(page):
    return page.get_by_test_id("audit-trail").locator("table.changes tr").all_inner_texts()


def expect_trail_change(page, field, before, after):
    expected = f"{field}\t{before}\t{after}"
    rows = trail_rows(page)
    assert any(r.strip() == expected for r in rows), (expected, rows)


def children_table(page):
    return page.locator(".card", has=page.locator("h2", has_text="下级辖区")).locator("table")


def total_on_page(page) -> int:
    text = page.locator(".pagination .muted").first.inner_text()
    return int(re.search(r"共\s*([\d,]+)\s*条", text).group(1).replace(",", ""))


UNIT_DETAIL = re.compile(r"/org/units/\d+/$")
JUR_DETAIL = re.compile(r"/org/jurisdictions/\d+/$")
STAFF_DETAIL = re.compile(r"/org/staff/\d+/$")
GROUP_DETAIL = re.compile(r"/org/groups/\d+/$")
ZONE_DETAIL = re.compile(r"/org/zones/\d+/$")


def pk_from(url) -> int:
    return int(re.search(r"/(\d+)/$", url).group(1))


# 1. Jurisdictions ----------------------------------------------------------------


def test_street_browses_creates_edits_and_moves_a_jurisdiction(new_page, demo):
    east, west = demo["communities"][0], demo["communities"][1]
    page = new_page()
    sign_in(page, "street")
    menu(page, "辖区", "**/org/jurisdictions/")

    # The level filter keeps only the six communities of the street.
    page.locator("select[name=level]").select_option(label="社区/村")
    filter_list(page)
    page.wait_for_url(re.compile(r"level=\d+"))
    table = page.locator(".table-wrap table")
    rows = data_rows(table)
    expect(rows).to_have_count(6)
    assert {row_cells(r)[1] for r in rows.all()} == {"社区/村"}
    # (Siblings come in the order of their materialised path strings, not by code.)
    assert sorted(row_cells(r)[0] for r in rows.all()) == sorted(c.name for c in demo["communities"])
    assert total_on_page(page) == 6

    # 东苑社区: the map is drawn and the 14 resident groups are listed.
    table.get_by_role("link", name="东苑社区", exact=True).click()
    page.wait_for_url(f"**/org/jurisdictions/{east.pk}/")
    page.wait_for_selector(".map[data-ready='1']")
    expect(page.locator("h1")).to_contain_text("东苑社区")
    children = data_rows(children_table(page))
    expect(children).to_have_count(14)
    names = [row_cells(r)[0] for r in children.all()]
    assert all("居民组" in n for n in names), names
    assert names[0].endswith("（第1居民组）") and names[-1].endswith("（第14居民组）")
    shot(page, "jurisdiction-detail-desktop")

    # 新增下级: a new 小区 under 东苑社区.
    action(page, "新增下级")
    page.wait_for_url(f"**/org/jurisdictions/new/?parent={east.pk}")
    assert page.locator("#id_parent").input_value() == str(east.pk)
    page.locator("#id_level").select_option(label="小区/自然村")
    page.fill("#id_code", "510104001001099")
    page.fill("#id_name", "测试新建小区")
    page.fill("#id_population", "1234")
    save(page)
    page.wait_for_url(JUR_DETAIL)
    expect_message(page, "辖区已创建。")
    expect(page.locator("h1")).to_contain_text("测试新建小区")
    node = Jurisdiction.objects.get(code="510104001001099")
    assert page.url.endswith(f"/org/jurisdictions/{node.pk}/")
    assert (node.name, node.parent_id, node.population, node.level.name) == (
        "测试新建小区",
        east.pk,
        1234,
        "小区/自然村",
    )
    assert node.path == Jurisdiction.child_path(east.path, node.pk)
    expect(page.locator(".breadcrumb")).to_have_text(re.compile(r"城关街道\s*/\s*东苑社区\s*/"))

    # 编辑: the population changes and the audit trail shows before/after.
    action(page, "编辑")
    page.wait_for_url(f"**/org/jurisdictions/{node.pk}/edit/")
    assert page.locator("#id_population").input_value() == "1234"
    page.fill("#id_population", "2345")
    save(page)
    page.wait_for_url(f"**/org/jurisdictions/{node.pk}/")
    expect_message(page, "辖区已保存。")
    expect(page.locator(".stat", has_text="人口").locator(".num")).to_have_text("2,345")
    expect(page.locator("h2", has_text="变更记录")).to_be_visible()
    expect_trail_change(page, "人口", "1234", "2345")
    node.refresh_from_db()
    assert node.population == 2345

    # 移动: under 西城社区; the breadcrumb follows.
    action(page, "移动")
    page.wait_for_url(f"**/org/jurisdictions/{node.pk}/move/")
    page.locator("#id_new_parent").select_option(value=str(west.pk))
    save(page)
    page.wait_for_url(f"**/org/jurisdictions/{node.pk}/")
    expect_message(page, "辖区及其下级已移动。")
    breadcrumb = page.locator(".breadcrumb")
    expect(breadcrumb).to_contain_text("西城社区")
    expect(breadcrumb).not_to_contain_text("东苑社区")
    expect_trail_change(page, "上级", "东苑社区", "西城社区")
    node.refresh_from_db()
    assert node.parent_id == west.pk
    assert node.path == Jurisdiction.child_path(west.path, node.pk)
    # The old parent no longer lists it, the new one does.
    breadcrumb.get_by_role("link", name="西城社区").click()
    page.wait_for_url(f"**/org/jurisdictions/{west.pk}/")
    expect(children_table(page)).to_contain_text("测试新建小区")


# 2. Units: create, edit, licences, conflicting edits -------------------------------


def test_community_creates_edits_a_unit_and_its_licences(new_page, demo):
    east = demo["communities"][0]
    estate = demo["estates"][0]
    assert estate.parent_id == east.pk
    before = Unit.objects.count()
    page = new_page()
    sign_in(page, "dongyuan")
    menu(page, "单位", "**/org/units/")
    action(page, "新增单位")
    page.wait_for_url("**/org/units/new/")
    shot(page, "unit-form-desktop")

    # An empty name is refused with a Chinese message and nothing is saved.
    page.locator("#id_unit_type").select_option(label="餐饮单位")
    page.locator("#id_jurisdiction").select_option(value=str(estate.pk))
    page.fill("#id_address", "人民路88号")
    page.fill("#id_contact_name", "张三")
    page.fill("#id_contact_phone", "13800001111")
    save(page)
    name_errors = page.locator(".form-row:has(#id_name) .errorlist")
    expect(name_errors).to_contain_text("该字段是必填项")
    assert Unit.objects.count() == before
    # The rest of the input survived the round trip.
    assert page.locator("#id_address").input_value() == "人民路88号"

    page.fill("#id_name", "测试东苑面馆")
    save(page)
    page.wait_for_url(UNIT_DETAIL)
    expect_message(page, "单位已创建。")
    expect(page.get_by_test_id("unit-name")).to_contain_text("测试东苑面馆")
    unit = Unit.objects.get(name="测试东苑面馆")
    assert Unit.objects.count() == before + 1
    assert (unit.unit_type.name, unit.jurisdiction_id, unit.contact_name, unit.status) == (
        "餐饮单位",
        estate.pk,
        "张三",
        "operating",
    )
    assert page.url.endswith(f"/org/units/{unit.pk}/")
    page.wait_for_selector(".map[data-ready='1']")
    expect(page.locator("table", has_text="证照类型")).to_contain_text("暂无证照。")

    # 编辑: contact and status.
    action(page, "编辑")
    page.wait_for_url(f"**/org/units/{unit.pk}/edit/")
    page.fill("#id_contact_name", "李四")
    page.locator("#id_status").select_option(label="停业")
    save(page)
    page.wait_for_url(f"**/org/units/{unit.pk}/")
    expect_message(page, "单位已保存。")
    expect(page.get_by_test_id("unit-name")).to_contain_text("停业")
    expect(page.locator("dl.facts")).to_contain_text("李四")
    expect_trail_change(page, "联系人", "张三", "李四")
    expect_trail_change(page, "经营状态", "营业", "停业")
    unit.refresh_from_db()
    assert (unit.contact_name, unit.status, unit.version) == ("李四", "suspended", 2)

    # 证照: add one with the inline form, then remove it.
    page.fill("#id_kind", "食品经营许可证")
    page.fill("#id_number", "JY15101040099")
    page.fill("#id_expires_on", "2027-06-30")
    page.get_by_role("button", name="添加证照").click()
    expect_message(page, "证照已添加。")
    licence_row = page.locator("tr", has_text="JY15101040099")
    expect(licence_row).to_contain_text("食品经营许可证")
    expect(licence_row).to_contain_text("2027-06-30")
    licence = License.objects.get(unit=unit, number="JY15101040099")
    assert (licence.kind, licence.expires_on.isoformat()) == ("食品经营许可证", "2027-06-30")
    shot(page, "unit-detail-desktop")

    licence_row.get_by_role("button", name="删除").click()
    expect_message(page, "证照已删除。")
    expect(page.locator("tr", has_text="JY15101040099")).to_have_count(0)
    assert not License.objects.filter(unit=unit).exists()
    # Both licence events are audited against the unit's jurisdiction and visible in the log.
    # Both licence events are audited on the unit's own trail and in the log.
    actions = list(
        AuditEvent.objects.filter(action__startswith="organization.unit.license_", object_id=str(unit.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["organization.unit.license_added", "organization.unit.license_removed"]
    expect(page.get_by_test_id("audit-trail")).to_contain_text("单位 · 删除证照")
    expect(page.get_by_test_id("audit-trail")).to_contain_text("JY15101040099")
    menu(page, "审计日志", "**/audit/")
    page.fill("input[name=q]", unit.name)
    # The action filter lists the readable actions (单位 → 删除证照), never codes.
    page.select_option("select[name=action]", label="删除证照")
    filter_list(page)
    audit_rows = data_rows(page.get_by_test_id("audit-table"))
    expect(audit_rows).to_have_count(1)
    expect(page.get_by_test_id("audit-table")).to_contain_text("单位 · 删除证照")
    expect(page.get_by_test_id("audit-table")).to_contain_text("JY15101040099")
    expect(page.get_by_test_id("audit-table")).not_to_contain_text("organization.unit")

    # Two people open the same edit form; the second save is refused, the first one stays.
    page.goto(f"/org/units/{unit.pk}/")
    action(page, "编辑")
    page.wait_for_url(f"**/org/units/{unit.pk}/edit/")
    other = new_page()
    sign_in(other, "street")
    menu(other, "单位", "**/org/units/")
    other.fill("input[name=q]", "测试东苑面馆")
    filter_list(other)
    other.get_by_test_id("unit-table").get_by_role("link", name="测试东苑面馆").click()
    other.wait_for_url(f"**/org/units/{unit.pk}/")
    action(other, "编辑")
    other.wait_for_url(f"**/org/units/{unit.pk}/edit/")

    page.fill("#id_contact_name", "先保存的人")
    save(page)
    page.wait_for_url(f"**/org/units/{unit.pk}/")
    expect_message(page, "单位已保存。")

    other.fill("#id_contact_name", "后保存的人")
    save(other)
    expect(other.locator(".form-errors")).to_contain_text("已被他人修改")
    assert other.url.endswith(f"/org/units/{unit.pk}/edit/")
    unit.refresh_from_db()
    assert unit.contact_name == "先保存的人"
    assert unit.version == 3

    # Phone: the unit page and its form fit the screen.
    phone = new_page(viewport=PHONE)
    sign_in(phone, "dongyuan")
    phone.goto(f"/org/units/{unit.pk}/")
    phone.wait_for_selector(".map[data-ready='1']")
    expect(phone.get_by_test_id("unit-name")).to_contain_text("测试东苑面馆")
    assert_no_horizontal_overflow(phone)
    shot(phone, "unit-detail-phone")
    phone.goto("/org/units/new/")
    expect(phone.locator("#id_name")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    shot(phone, "unit-form-phone")


# 3. Audit log, unit list filters and export, read-only and unit-contact views -----------


def test_unit_list_filters_export_audit_and_read_only_roles(new_page, demo, tmp_path):
    target = Unit.objects.filter(jurisdiction__path__startswith=demo["street"].path).order_by("id").first()
    old_phone = target.contact_phone
    page = new_page()
    sign_in(page, "street")

    # A change made through the unit page ...
    menu(page, "单位", "**/org/units/")
    page.fill("input[name=q]", target.name)
    filter_list(page)
    page.get_by_test_id("unit-table").get_by_role("link", name=target.name, exact=True).click()
    page.wait_for_url(f"**/org/units/{target.pk}/")
    action(page, "编辑")
    page.fill("#id_contact_phone", "13900009999")
    save(page)
    page.wait_for_url(f"**/org/units/{target.pk}/")
    expect_message(page, "单位已保存。")
    target.refresh_from_db()
    assert target.contact_phone == "13900009999"

    # ... is found in the audit log by its keyword.
    menu(page, "审计日志", "**/audit/")
    page.fill("input[name=q]", target.name)
    filter_list(page)
    page.wait_for_url(re.compile(r"/audit/\?q="))
    audit = page.get_by_test_id("audit-table")
    row = audit.locator("tr", has_text="单位 · 修改单位")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(target.name)
    expect(row).to_contain_text("钱志强")
    expect(row).to_contain_text("单位 · 修改")
    # Phones in the trail are masked, as everywhere (apps/core/personal.py); the row keeps the value.
    expect(row.locator("table.changes tr", has_text="联系电话")).to_contain_text(mask_phone(old_phone))
    expect(row.locator("table.changes tr", has_text="联系电话")).to_contain_text("139****9999")
    expect(row).not_to_contain_text("13900009999")
    assert AuditEvent.objects.filter(
        action="organization.unit.updated", object_id=str(target.pk), actor__username="street"
    ).exists()
    shot(page, "audit-log-desktop")

    # Filters: type, status and keyword together.
    menu(page, "单位", "**/org/units/")
    page.locator("select[name=unit_type]").select_option(label="餐饮单位")
    page.locator("select[name=status]").select_option(label="营业")
    page.fill("input[name=q]", "记")
    filter_list(page)
    page.wait_for_url(lambda url: all(part in url for part in ("unit_type=", "status=operating", "q=")))
    expected = Unit.objects.filter(
        Q(name__contains="记") | Q(address__contains="记") | Q(contact_name__contains="记"),
        jurisdiction__path__startswith=demo["street"].path,
        unit_type__code="catering",
        status="operating",
    )
    expected_names = sorted(u.name for u in expected)
    assert 0 < len(expected_names) <= 50
    assert total_on_page(page) == len(expected_names)
    rows = data_rows(page.get_by_test_id("unit-table"))
    expect(rows).to_have_count(len(expected_names))
    for r in rows.all():
        name_cell, type_cell, _place, contact_cell, status_cell = row_cells(r)
        assert type_cell == "餐饮单位" and status_cell == "营业", row_cells(r)
        assert "记" in name_cell or "记" in contact_cell, row_cells(r)
    # The selects keep what was chosen.
    assert page.locator("select[name=status]").input_value() == "operating"

    # 导出 Excel: the same filter, every row matching.
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("units-") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path, read_only=True).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert header == [
        "单位名称",
        "单位类型",
        "所在辖区",
        "所在辖区代码",
        "地址",
        "纬度",
        "经度",
        "联系人",
        "联系电话",
        "经营状态",
        "统一社会信用代码",
    ]
    assert sorted(r[0] for r in body) == expected_names
    for r in body:
        record = dict(zip(header, r, strict=True))
        assert record["单位类型"] == "餐饮单位" and record["经营状态"] == "营业", record
        assert any("记" in (record[k] or "") for k in ("单位名称", "地址", "联系人")), record
        assert str(record["所在辖区代码"]).startswith(demo["street"].code), record
    sign_out(page)

    # The leader reads a unit but has nothing to edit.
    sign_in(page, "leader")
    menu(page, "单位", "**/org/units/")
    expect(page.locator("main").get_by_role("link", name="新增单位")).to_have_count(0)
    first = data_rows(page.get_by_test_id("unit-table")).first.locator("a").first
    first_name = first.inner_text()
    first.click()
    page.wait_for_url(UNIT_DETAIL)
    expect(page.get_by_test_id("unit-name")).to_contain_text(first_name)
    expect(page.locator("main").get_by_role("link", name="编辑", exact=True)).to_have_count(0)
    expect(page.locator("main").get_by_role("button", name="添加证照")).to_have_count(0)
    expect(page.locator("main").get_by_role("button", name="删除")).to_have_count(0)
    sign_out(page)

    # The unit contact sees its own unit only, and only the zones it holds (or held).
    contact = User.objects.get(username="unit")
    sign_in(page, "unit")
    menu(page, "单位", "**/org/units/")
    rows = data_rows(page.get_by_test_id("unit-table"))
    expect(rows).to_have_count(1)
    assert row_cells(rows.first)[0].startswith(contact.unit.name)
    assert total_on_page(page) == 1
    menu(page, "责任区", "**/org/zones/")
    own_zones = sorted(Zone.objects.filter(assignments__unit=contact.unit).distinct().values_list("name", flat=True))
    assert own_zones
    zone_rows = data_rows(page.locator(".table-wrap table"))
    expect(zone_rows).to_have_count(len(own_zones))
    assert sorted(row_cells(r)[0] for r in zone_rows.all()) == own_zones


# 4. Staff and groups ---------------------------------------------------------------


def test_staff_and_groups(new_page, demo):
    east, street = demo["communities"][0], demo["street"]
    page = new_page()
    sign_in(page, "dongyuan")
    menu(page, "人员", "**/org/staff/")
    in_scope = Staff.objects.filter(jurisdiction__path__startswith=east.path).count()
    assert total_on_page(page) == in_scope
    places = {row_cells(r)[2] for r in data_rows(page.locator(".table-wrap table")).all()}
    allowed = set(Jurisdiction.objects.filter(path__startswith=east.path).values_list("name", flat=True))
    assert places <= allowed, places - allowed
    shot(page, "staff-list-desktop")

    action(page, "新增人员")
    page.wait_for_url("**/org/staff/new/")
    page.fill("#id_name", "测试专干")
    page.fill("#id_post", "社区卫生专干")
    page.fill("#id_phone", "13912345678")
    page.locator("#id_jurisdiction").select_option(value=str(east.pk))
    assert page.locator("#id_is_active").is_checked()
    save(page)
    page.wait_for_url(STAFF_DETAIL)
    expect_message(page, "人员已创建。")
    expect(page.locator("h1")).to_contain_text("测试专干")
    expect(page.locator("h1 .badge")).to_have_text("社区卫生专干")
    person = Staff.objects.get(name="测试专干")
    assert (person.post, person.phone, person.jurisdiction_id, person.is_active) == (
        "社区卫生专干",
        "13912345678",
        east.pk,
        True,
    )
    assert page.url.endswith(f"/org/staff/{person.pk}/")
    # The phone reads masked, with a 显示 (apps/core/personal.py).
    expect(page.locator("dl.facts")).to_contain_text("139****5678")
    expect(page.locator("dl.facts")).not_to_contain_text("13912345678")

    action(page, "编辑")
    page.wait_for_url(f"**/org/staff/{person.pk}/edit/")
    page.fill("#id_post", "社区副主任")
    save(page)
    page.wait_for_url(f"**/org/staff/{person.pk}/")
    expect_message(page, "人员已保存。")
    expect(page.locator("h1 .badge")).to_have_text("社区副主任")
    expect_trail_change(page, "职务/岗位", "社区卫生专干", "社区副主任")
    person.refresh_from_db()
    assert person.post == "社区副主任"
    assert person.phone == "13912345678"  # the form showed it masked; left as it was, it is kept
    # Back in the list, searching finds the new person.
    page.locator(".breadcrumb").get_by_role("link", name="人员").click()
    page.wait_for_url("**/org/staff/")
    page.fill("input[name=q]", "测试专干")
    filter_list(page)
    expect(data_rows(page.locator(".table-wrap table"))).to_have_count(1)
    sign_out(page)

    # Groups, as the street office.
    sign_in(page, "street")
    menu(page, "领导/工作小组", "**/org/groups/")
    lead = WorkGroup.objects.get(name="城关街道爱国卫生工作领导小组")
    page.locator(".table-wrap table").get_by_role("link", name=lead.name).click()
    page.wait_for_url(f"**/org/groups/{lead.pk}/")
    members = page.get_by_test_id("group-members")
    leader_member = GroupMember.objects.get(group=lead, position="leader")
    leader_rows = data_rows(members).filter(has=page.locator("td:first-child", has_text=re.compile(r"^组长$")))
    expect(leader_rows).to_have_count(1)
    assert row_cells(leader_rows.first)[:2] == ["组长", leader_member.staff.name]
    expect(data_rows(members)).to_have_count(lead.members.count())
    expect(page.locator(".card", has_text="下设小组")).to_contain_text("资料组")
    shot(page, "group-detail-desktop")

    menu(page, "领导/工作小组", "**/org/groups/")
    action(page, "新增小组")
    page.wait_for_url("**/org/groups/new/")
    page.fill("#id_name", "垃圾分类工作组")
    page.locator("#id_kind").select_option(label="工作小组")
    page.locator("#id_jurisdiction").select_option(value=str(street.pk))
    page.locator("#id_parent").select_option(label=lead.name)
    page.fill("#id_duties", "负责垃圾分类宣传和督导。")
    save(page)
    page.wait_for_url(GROUP_DETAIL)
    expect_message(page, "小组已创建。")
    expect(page.locator("h1")).to_contain_text("垃圾分类工作组")
    group = WorkGroup.objects.get(name="垃圾分类工作组")
    assert (group.kind, group.jurisdiction_id, group.parent_id) == ("working", street.pk, lead.pk)
    members = page.get_by_test_id("group-members")
    expect(members).to_contain_text("暂无成员。")

    # Two members through the inline form, then one removed.
    street_staff = Staff.objects.filter(jurisdiction=street).order_by("id").first()
    for staff, position, duty in ((person, "组长", "统筹协调"), (street_staff, "成员", "督导检查")):
        page.locator("#id_staff").select_option(value=str(staff.pk))
        page.locator("#id_position").select_option(label=position)
        page.fill("#id_duty", duty)
        page.get_by_role("button", name="添加成员").click()
        expect_message(page, "成员已添加。")
        expect(members.locator("tr", has_text=duty)).to_contain_text(staff.name)
    expect(data_rows(members)).to_have_count(2)
    assert sorted(group.members.values_list("staff__name", "position")) == sorted(
        [(person.name, "leader"), (street_staff.name, "member")]
    )

    members.locator("tr", has_text="督导检查").get_by_role("button", name="移除").click()
    expect_message(page, "成员已移除。")
    expect(data_rows(members)).to_have_count(1)
    assert row_cells(data_rows(members).first)[:2] == ["组长", "测试专干"]
    assert list(group.members.values_list("staff_id", flat=True)) == [person.pk]
    # The person's page lists the group.
    members.get_by_role("link", name="测试专干").click()
    page.wait_for_url(f"**/org/staff/{person.pk}/")
    expect(page.locator("main table", has_text="小组")).to_contain_text("垃圾分类工作组")

    # The leadership group lists its 组长 first, then the deputies, as on any org chart.
    menu(page, "领导/工作小组", "**/org/groups/")
    page.locator(".table-wrap table").get_by_role("link", name=lead.name).click()
    page.wait_for_url(f"**/org/groups/{lead.pk}/")
    positions = [row_cells(r)[0] for r in data_rows(page.get_by_test_id("group-members")).all()]
    assert positions[0] == "组长", positions
    assert positions.index("副组长") < positions.index("成员"), positions


# 5. Responsibility zones -----------------------------------------------------------


def test_zones_filter_create_and_reassign(new_page, demo):
    east = demo["communities"][0]
    today = timezone.localdate()
    page = new_page()
    sign_in(page, "dongyuan")
    menu(page, "责任区", "**/org/zones/")
    page.locator("select[name=kind]").select_option(label="门前三包")
    filter_list(page)
    page.wait_for_url(re.compile(r"kind=frontage3"))
    frontage = Zone.objects.filter(jurisdiction__path__startswith=east.path, kind="frontage3").count()
    assert frontage > 0
    assert total_on_page(page) == frontage
    rows = data_rows(page.locator(".table-wrap table"))
    expect(rows).to_have_count(min(frontage, 50))
    assert {row_cells(r)[1] for r in rows.all()} == {"门前三包"}

    # 新增责任区.
    action(page, "新增责任区")
    page.wait_for_url("**/org/zones/new/")
    page.fill("#id_name", "东苑社区测试责任区")
    page.locator("#id_kind").select_option(label="责任区")
    page.locator("#id_jurisdiction").select_option(value=str(east.pk))
    page.fill("#id_addresses", "人民路1号至99号\n解放路全段")
    page.fill("#id_requirements", "每日两扫，无暴露垃圾。")
    save(page)
    page.wait_for_url(ZONE_DETAIL)
    expect_message(page, "责任区已创建。")
    expect(page.locator("h1")).to_contain_text("东苑社区测试责任区")
    expect(page.get_by_test_id("zone-holder")).to_have_text("—")
    expect(page.locator("dl.facts")).to_contain_text("人民路1号至99号；解放路全段")
    expect(page.get_by_test_id("zone-history")).to_contain_text("尚未分配。")
    created = Zone.objects.get(name="东苑社区测试责任区")
    assert (created.kind, created.jurisdiction_id, created.address_list) == (
        "responsibility",
        east.pk,
        ["人民路1号至99号", "解放路全段"],
    )

    # An existing 包干区域 is handed to another unit.
    menu(page, "责任区", "**/org/zones/")
    page.locator("select[name=kind]").select_option(label="包干区域")
    filter_list(page)
    page.wait_for_url(re.compile(r"kind=baogan"))
    data_rows(page.locator(".table-wrap table")).first.locator("a").first.click()
    page.wait_for_url(ZONE_DETAIL)
    zone = Zone.objects.get(pk=pk_from(page.url))
    assert zone.jurisdiction.path.startswith(east.path)
    old = zone.assignments.get(ends_on__isnull=True)
    expect(page.get_by_test_id("zone-holder")).to_have_text(str(old.holder))
    page.wait_for_selector(".map[data-ready='1']")
    shot(page, "zone-detail-desktop")

    new_holder = (
        Unit.objects.filter(jurisdiction__path__startswith=east.path, unit_type__code="partner")
        .exclude(pk=old.unit_id)
        .order_by("id")
        .first()
        or Unit.objects.filter(jurisdiction__path__startswith=east.path).exclude(pk=old.unit_id).first()
    )
    action(page, "调整责任方")
    page.wait_for_url(f"**/org/zones/{zone.pk}/reassign/")
    page.locator("#id_unit").select_option(label=new_holder.name)
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_note", "测试微调责任方")
    save(page)
    page.wait_for_url(f"**/org/zones/{zone.pk}/")
    expect_message(page, "责任方已调整")
    expect(page.get_by_test_id("zone-holder")).to_have_text(new_holder.name)
    history = data_rows(page.get_by_test_id("zone-history"))
    expect(history).to_have_count(zone.assignments.count())
    first, second = row_cells(history.nth(0)), row_cells(history.nth(1))
    assert first == [new_holder.name, today.isoformat(), "至今", "测试微调责任方"], first
    assert second[:3] == [str(old.holder), old.starts_on.isoformat(), (today - timedelta(days=1)).isoformat()], second
    old.refresh_from_db()
    assert old.ends_on == today - timedelta(days=1)
    current = ZoneAssignment.objects.get(zone=zone, ends_on__isnull=True)
    assert (current.unit_id, current.starts_on, current.note) == (new_holder.pk, today, "测试微调责任方")
    expect_trail_change(page, "责任方", str(old.holder), new_holder.name)

    # Phone: the zone page fits.
    phone = new_page(viewport=PHONE)
    sign_in(phone, "dongyuan")
    phone.goto(f"/org/zones/{zone.pk}/")
    phone.wait_for_selector(".map[data-ready='1']")
    expect(phone.get_by_test_id("zone-holder")).to_have_text(new_holder.name)
    assert_no_horizontal_overflow(phone)
    shot(phone, "zone-detail-phone")


# 6. Accounts and passwords ---------------------------------------------------------


def test_accounts_lifecycle_and_password_change(new_page, demo):
    grid = Jurisdiction.objects.get(name="东苑社区第2网格")
    page = new_page()
    sign_in(page, "street")
    menu(page, "账号", "**/accounts/users/")
    table = page.locator(".table-wrap table")
    expect(table).to_contain_text("dongyuan")
    shot(page, "account-list-desktop")

    action(page, "新增账号")
    page.wait_for_url("**/accounts/users/new/")
    page.fill("#id_username", "wg_dongyuan2")
    page.fill("#id_last_name", "冯")
    page.fill("#id_first_name", "晓东")
    page.fill("#id_phone", "13700002222")
    page.locator("#id_role").select_option(label="网格员/巡查员")
    page.locator("#id_jurisdiction").select_option(value=str(grid.pk))
    page.fill("#id_password", "Wangge#2026ok")
    save(page)
    page.wait_for_url("**/accounts/users/")
    expect_message(page, "账号已创建。")
    page.fill("input[name=q]", "wg_dongyuan2")
    filter_list(page)
    row = data_rows(table)
    expect(row).to_have_count(1)
    assert row_cells(row.first)[:5] == ["wg_dongyuan2", "冯晓东", "网格员/巡查员", "东苑社区第2网格", "启用"]
    account = User.objects.get(username="wg_dongyuan2")
    assert (account.role, account.jurisdiction_id, account.is_active) == ("grid", grid.pk, True)
    assert account.check_password("Wangge#2026ok")
    sign_out(page)

    # The new grid worker logs in and lands on its grid.
    sign_in(page, "wg_dongyuan2", "Wangge#2026ok")
    expect(page.get_by_test_id("home-jurisdiction")).to_contain_text("东苑社区第2网格")
    sign_out(page)

    # The street office deactivates it; the login is then refused.
    sign_in(page, "street")
    menu(page, "账号", "**/accounts/users/")
    page.fill("input[name=q]", "wg_dongyuan2")
    filter_list(page)
    data_rows(table).first.get_by_role("link", name="编辑").click()
    page.wait_for_url(f"**/accounts/users/{account.pk}/edit/")
    assert page.locator("#id_is_active").is_checked()
    page.locator("#id_is_active").uncheck()
    save(page)
    page.wait_for_url("**/accounts/users/")
    expect_message(page, "账号已保存。")
    account.refresh_from_db()
    assert account.is_active is False
    assert account.check_password("Wangge#2026ok")  # an empty password field keeps the password
    page.fill("input[name=q]", "wg_dongyuan2")
    filter_list(page)
    expect(data_rows(table).first).to_contain_text("停用")
    sign_out(page)

    page.fill("#id_username", "wg_dongyuan2")
    page.fill("#id_password", "Wangge#2026ok")
    page.click("button[type=submit]")
    expect(page.locator(".form-errors")).to_have_text(re.compile("用户名或密码不正确|该账号已停用"))
    assert "/accounts/login/" in page.url
    expect(page.get_by_test_id("current-user")).to_have_count(0)

    # The grid worker changes its own password through the "修改密码" link.
    sign_in(page, "grid")
    page.locator(".usermenu").get_by_role("link", name="修改密码").click()
    page.wait_for_url("**/accounts/password/")
    page.fill("#id_old_password", "Chuangwei@2026")
    page.fill("#id_new_password1", "Xunjian#2027new")
    page.fill("#id_new_password2", "Xunjian#2027new")
    save(page)
    page.wait_for_url(re.compile(r"/$"))
    expect_message(page, "密码已修改。")
    grid_user = User.objects.get(username="grid")
    assert grid_user.check_password("Xunjian#2027new")
    assert AuditEvent.objects.filter(action="accounts.user.password_changed", object_id=str(grid_user.pk)).exists()
    sign_out(page)
    page.fill("#id_username", "grid")
    page.fill("#id_password", "Chuangwei@2026")
    page.click("button[type=submit]")
    expect(page.locator(".form-errors")).to_contain_text("用户名或密码不正确")
    sign_in(page, "grid", "Xunjian#2027new")
    expect(page.get_by_test_id("home-jurisdiction")).to_contain_text("东苑社区第1网格")


# 7. Every "导出 Excel" button on the list pages ----------------------------------------


def test_every_export_button_downloads_the_list(new_page, demo, tmp_path):
    """Each list page offers "导出 Excel"; clicking it must give a workbook of that list."""
    page = new_page()
    sign_in(page, "street")
    pages = [
        ("辖区", "**/org/jurisdictions/"),
        ("单位", "**/org/units/"),
        ("责任区", "**/org/zones/"),
        ("人员", "**/org/staff/"),
        ("领导/工作小组", "**/org/groups/"),
        ("账号", "**/accounts/users/"),
        ("审计日志", "**/audit/"),
    ]
    broken = []
    for label, url in pages:
        menu(page, label, url)
        total = total_on_page(page)
        button = page.get_by_test_id("export")
        expect(button).to_be_visible()
        try:
            with page.expect_download(timeout=5000) as download_info:
                button.click()
        except PlaywrightTimeoutError:  # collected and reported below
            broken.append(f"{label}: no download, the page answered {page.url}")
            continue
        path = tmp_path / f"{len(broken)}-{download_info.value.suggested_filename}"
        download_info.value.save_as(path)
        rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
        assert all(rows[0]), (label, rows[0])
        if len(rows) - 1 != total:
            broken.append(f"{label}: the workbook has {len(rows) - 1} rows, the page says 共 {total} 条")
    assert not broken, broken
