"""数据汇总: a street opens its totals, changes the period and the community, follows a figure."""

import pytest

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _loaded(page, group):
    page.wait_for_selector(f"[data-group='{group}'][data-loaded='1']")
    return page.locator(f"[data-group='{group}']")


def test_street_reads_its_totals(new_page, demo):
    page = new_page(viewport=DESKTOP)
    login(page, "street")
    page.click(".mainnav a[data-nav='totals']")
    page.wait_for_url("**/reports/totals/")
    assert "城关街道" in page.locator("h1").inner_text()
    cases = _loaded(page, "cases")
    _loaded(page, "inspections")
    # The roll-up: the street, then each of its communities.
    rows = cases.locator("[data-testid=rollup] tr[data-row] td:first-child").all_inner_texts()
    assert rows[0] == "城关街道" and "东苑社区" in rows
    assert "下级之和可能大于上级" in page.locator("[data-testid=totals-rule]").inner_text()
    shot(page, "totals-street-desktop")

    # A year instead of the month.
    page.click("[data-testid=totals-periods] a[data-kind='year']")
    page.wait_for_url("**period=year**")
    _loaded(page, "cases")
    assert "年度" in page.locator("h1").inner_text()

    # Down to a community: its own figures, the period kept.
    page.click("[data-testid=totals-children] a:text('东苑社区')")
    page.wait_for_url("**period=year**")
    cases = _loaded(page, "cases")
    assert "东苑社区" in page.locator("h1").inner_text()
    assert cases.locator("[data-testid=rollup] tr[data-row] td:first-child").first.inner_text() == "东苑社区"

    # A figure links to the records it counts.
    link = cases.locator("[data-figure='cases.closure_rate'] a")
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200
    assert "/cases/statistics/" in page.url and "jurisdiction=" in page.url

    # On a phone.
    phone = new_page(viewport=PHONE)
    login(phone, "street")
    phone.goto("/reports/totals/")
    _loaded(phone, "cases")
    _loaded(phone, "inspections")
    assert_no_horizontal_overflow(phone)
    shot(phone, "totals-street-390")


def test_bad_dates_say_what_is_wrong(new_page, demo):
    page = new_page(viewport=DESKTOP)
    login(page, "street")
    response = page.goto("/reports/totals/?start=2026-02-30&end=2026-03-01")
    assert response.status == 400
    assert "「开始日期」的值无效" in page.locator("[data-testid=filter-errors]").inner_text()
