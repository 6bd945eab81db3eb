"""Maps without a tile server still let a person find a place; English mode has no Chinese leftovers."""

import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.organization.models import Jurisdiction, Staff, Unit

from .conftest import PHONE, login

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("CHUANGWEI_SHOTS", Path(tempfile.gettempdir()) / "shots"))
CHINESE_PUNCTUATION = re.compile(r"[：（），、。]")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _unit_in_grid(grid) -> Unit:
    """Put one demo unit of the grid worker's estate at the centre of their grid."""
    unit = Unit.objects.filter(jurisdiction_id__in=[grid.pk, grid.parent_id]).order_by("id").first()
    Unit.objects.filter(pk=unit.pk).update(
        jurisdiction=grid, lat=grid.center_lat + Decimal("0.0004"), lng=grid.center_lng - Decimal("0.0005")
    )
    unit.refresh_from_db()
    return unit


def _search_and_pick(page, text):
    box = page.locator("[data-map-search]")
    box.fill(text)
    page.locator(".map-results button").first.wait_for()
    page.locator(".map-results button").first.click()


def _wait_centred_on_selection(page, map_selector):
    """The selected place's point ends up at the centre of the map (within 3 px, once the pan ends)."""
    page.wait_for_function(
        """(sel) => {
            const map = document.querySelector(sel).getBoundingClientRect();
            const label = document.querySelector('.map-label-selected');
            if (!label) return false;
            const at = label.getBoundingClientRect();
            return Math.hypot(at.left - (map.left + map.width / 2), at.top - (map.top + map.height / 2)) < 3;
        }""",
        arg=map_selector,
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_report_map_without_tiles_finds_a_unit(new_page, demo, settings, viewport):
    settings.MAP_TILE_URL = ""
    grid_user = User.objects.get(username="grid")
    grid = Jurisdiction.objects.get(pk=grid_user.jurisdiction_id)
    unit = _unit_in_grid(grid)
    page = new_page(viewport=viewport) if viewport else new_page()
    login(page, "grid")
    page.goto("/cases/report/")
    page.wait_for_selector("[data-picker][data-landmarks=ready]")
    page.wait_for_timeout(400)  # the opening zoom animation
    # The grid's outline is labelled with its name, with no tiles underneath.
    assert page.locator("body").get_attribute("data-tile-url") == ""
    assert page.locator(".leaflet-tile").count() == 0
    expect(page.locator(".map-label-area", has_text=grid.name)).to_be_visible()
    page.mouse.move(0, 0)
    _shot(page, f"report-map-no-tiles-{'phone' if viewport else 'desktop'}-before")

    _search_and_pick(page, unit.name[:4])
    selected = page.locator(".map-label-selected")
    selected.wait_for()
    assert selected.inner_text() == unit.name
    _wait_centred_on_selection(page, "[data-picker]")
    # On the report form, the unit became the reported place.
    assert float(page.input_value("[name=lat]")) == pytest.approx(float(unit.lat), abs=1e-6)
    assert float(page.input_value("[name=lng]")) == pytest.approx(float(unit.lng), abs=1e-6)
    page.mouse.move(0, 0)  # no hover tooltip in the picture
    _shot(page, f"report-map-no-tiles-{'phone' if viewport else 'desktop'}")


def test_case_map_search_finds_a_community_and_a_unit_by_address(new_page, demo, settings):
    settings.MAP_TILE_URL = ""
    page = new_page()
    login(page, "street")
    page.goto("/cases/map/")
    page.wait_for_selector("[data-case-map][data-landmarks=ready]")
    communities = list(Jurisdiction.objects.filter(level__code="community").values_list("name", flat=True))
    # Some community's name is drawn on the map, wherever the cases made the map zoom to.
    page.wait_for_function(
        """(names) => [...document.querySelectorAll('.map-label-area')].some(
            (el) => getComputedStyle(el).visibility === 'visible' && getComputedStyle(el).display !== 'none'
                && names.includes(el.textContent))""",
        arg=communities,
    )
    _shot(page, "case-map-no-tiles-desktop")
    unit = Unit.objects.exclude(address="").filter(lat__isnull=False).order_by("id").first()
    _search_and_pick(page, unit.address)
    _wait_centred_on_selection(page, "[data-case-map]")
    _shot(page, "case-map-search-desktop")


def test_public_report_map_has_named_communities_and_a_search(new_page, demo, settings):
    settings.MAP_TILE_URL = ""
    page = new_page(viewport=PHONE)
    page.goto("/public/report/")
    page.wait_for_selector("[data-picker][data-landmarks=ready]")
    community = Jurisdiction.objects.filter(level__code="community").order_by("path").last()
    page.locator("[data-map-search]").fill(community.name)
    page.locator(".map-results button").first.click()
    page.wait_for_selector("[data-picker][data-selected]:not([data-moving])")
    expect(page.locator(".map-label-area", has_text=community.name)).to_be_visible()
    _shot(page, "public-report-map-phone")


def _data_names() -> list[str]:
    """Names people typed in (demo data); only the page's own words must be English."""
    names = [*Jurisdiction.objects.values_list("name", flat=True), *Unit.objects.values_list("name", flat=True)]
    names += [*Unit.objects.values_list("address", flat=True), *Staff.objects.values_list("name", flat=True)]
    return sorted({n for n in names if n}, key=len, reverse=True)


def _english_words(page, names) -> str:
    text = page.locator("main").inner_text()
    for name in names:
        text = text.replace(name, "")
    return text


def test_english_pages_have_no_chinese_punctuation_and_translated_reference_data(new_page, demo, settings):
    settings.MAP_TILE_URL = ""
    names = _data_names()
    page = new_page()
    page.goto("/public/report/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert "Report" in page.locator("h1").inner_text()
    for url in ("/public/report/", "/public/track/", "/accounts/login/"):
        page.goto(url)
        assert not CHINESE_PUNCTUATION.search(_english_words(page, names)), url
    login(page, "street")
    street = Jurisdiction.objects.get(level__code="street")
    unit = Unit.objects.filter(unit_type__code="catering").order_by("id").first()
    expectations = {
        "/org/jurisdictions/": "Community",
        f"/org/jurisdictions/{street.pk}/": "Street",
        "/org/units/?unit_type=" + str(unit.unit_type_id): "Catering",
        unit.get_absolute_url(): "Catering",
        "/org/reference/": "Property company",
        "/cases/map/": "Exposed garbage",
        "/cases/report/": "Report",
    }
    for url, english in expectations.items():
        page.goto(url)
        words = _english_words(page, names)
        assert english in words, url
        assert not CHINESE_PUNCTUATION.search(words), (url, CHINESE_PUNCTUATION.findall(words))
    page.goto("/cases/map/")
    page.wait_for_selector("[data-case-map][data-landmarks=ready]")
    assert page.locator("[data-map-search]").get_attribute("placeholder").startswith("Search")
    # A unit's page: its neighbours are named around it, in English chrome.
    page.goto(unit.get_absolute_url())
    page.wait_for_selector("[data-map][data-landmarks=ready]")
    page.wait_for_timeout(400)
    assert page.locator(".map-label-area").count() > 0
    _shot(page, "unit-detail-map-english-desktop")


def test_with_a_tile_server_tiles_stay_underneath_the_landmarks(new_page, demo, settings):
    # Any image stands in for a tile server: what matters is that tiles are requested and drawn.
    settings.MAP_TILE_URL = "/static/img/favicon-32.png?z={z}&x={x}&y={y}"
    page = new_page(viewport=PHONE)
    page.goto("/public/report/")
    page.wait_for_selector("[data-picker][data-landmarks=ready]")
    page.wait_for_selector(".leaflet-tile-loaded")
    assert page.locator(".map-label-area").count() > 0
    tiles, landmarks = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.leaflet-tile-pane')).zIndex,
                  getComputedStyle(document.querySelector('.leaflet-landmarkAreas-pane')).zIndex]"""
    )
    assert int(tiles) < int(landmarks)
