"""驾驶舱: a street opens its dashboard from the menu, reads KPIs and trends, drills down to a
community from the league table, follows a KPI to its records; desktop and phone screenshots."""

import pytest

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _loaded(page):
    page.wait_for_selector("[data-testid=dashboard-trends][data-loaded='1']")
    page.wait_for_selector(".dash-chart[data-ready='1'] canvas")
    page.wait_for_selector("[data-testid=dashboard-children][data-loaded='1']")
    if page.locator("[data-testid=dashboard-map]").count():
        page.wait_for_selector("[data-testid=dashboard-map][data-ready='1']")


def test_street_reads_its_dashboard_and_drills_down(new_page, demo):
    page = new_page(viewport=DESKTOP)
    login(page, "street")
    page.click(".mainnav a[data-nav='dashboard']")
    page.wait_for_url("**/reports/dashboard/")
    assert "城关街道" in page.locator("h1").inner_text()
    kpis = page.locator("[data-testid=dashboard-kpis]")
    assert kpis.locator("[data-figure='cases.on_time_rate'] .num").is_visible()
    assert kpis.locator("[data-module='cases'] h2").inner_text() == "案件处置"
    _loaded(page)
    assert page.locator(".dash-chart canvas").count() >= 2
    rows = page.locator("[data-testid=league-table] a[data-drill]").all_inner_texts()
    assert "东苑社区" in rows
    shot(page, "dashboard-street-desktop")

    # Drill down: the community's own dashboard, the street in the breadcrumb.
    page.click("[data-testid=league-table] a[data-drill]:text('东苑社区')")
    page.wait_for_url("**jurisdiction=**")
    assert "东苑社区" in page.locator("h1").inner_text()
    assert "城关街道" in page.locator("[data-testid=dashboard-crumbs]").inner_text()
    _loaded(page)

    # A KPI number opens the records it counted.
    with page.expect_navigation() as navigation:
        page.locator("[data-kpi-link='cases.closure_rate']").click()
    assert navigation.value.status == 200
    assert "/cases/statistics/" in page.url and "jurisdiction=" in page.url

    # On a phone: stacked cards, nothing wider than the screen.
    phone = new_page(viewport=PHONE)
    login(phone, "street")
    phone.goto("/reports/dashboard/")
    _loaded(phone)
    assert_no_horizontal_overflow(phone)
    shot(phone, "dashboard-street-390")
