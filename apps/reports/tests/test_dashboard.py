"""驾驶舱 (reports:dashboard): KPIs equal their figures, trends, league table, drill-down, map, scope."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.evidence import FigureSource, FigureValue, figures
from apps.core.registry import AppEntries, registry
from apps.organization.models import Unit
from apps.reports import dashboard

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")
RING = [[104.0, 31.0], [104.1, 31.0], [104.1, 31.1], [104.0, 31.1], [104.0, 31.0]]
SQUARE = {"type": "Polygon", "coordinates": [RING]}


def _units(path, start, end):
    count = Unit.objects.filter(jurisdiction__path__within=path).count()
    return FigureValue(Decimal(count), url=f"/units/?path={path}&start={start}")


def _rate(path, start, end):
    # 100 % in the first community, 50 % elsewhere, nothing to compute from in an estate.
    if path.count("/") >= 5:  # an estate
        return FigureValue(None, Decimal(0), Decimal(0), url=f"/rate/?path={path}")
    value = Decimal(100) if "甲一" in _name(path) else Decimal(50)
    return FigureValue(value, value / 10, Decimal(10), url=f"/rate/?path={path}")


def _name(path):
    from apps.organization.models import Jurisdiction

    return Jurisdiction.objects.get(path=path).name


def _grade(path, start, end):
    return FigureValue(Decimal(2), url="/grade/", note="B级（幸福小区）")


FAKES = [
    FigureSource("fake.units", "测试单位数", "个", _units),
    FigureSource("fake.rate", "测试比率", "%", _rate),
    FigureSource("fake.grade", "测试级别", "级", _grade),
    FigureSource("fake.secret", "测试账号数", "个", _units, permission="accounts.user"),
]
FAKE_MODULES = (
    dashboard.Module("fake", "测试模块", (dashboard.Kpi("fake.units", dashboard.LOW), dashboard.Kpi("fake.rate"))),
    dashboard.Module("fake2", "测试模块二", (dashboard.Kpi("fake.grade", dashboard.LOW, grade=True),)),
    dashboard.Module("hidden", "仅有权限者", (dashboard.Kpi("fake.secret", dashboard.SIZE),)),
    dashboard.Module("absent", "未注册", (dashboard.Kpi("fake.nowhere"),)),
)


@pytest.fixture
def fakes(monkeypatch):
    registry.apps["fake"] = AppEntries(label="fake", figures=FAKES)
    monkeypatch.setattr(dashboard, "MODULES", FAKE_MODULES)
    monkeypatch.setattr(dashboard, "KPIS", {k.key: k for m in FAKE_MODULES for k in m.kpis})
    monkeypatch.setattr(dashboard, "TRENDS", ("fake.units", "fake.rate", "fake.nowhere"))
    monkeypatch.setattr(dashboard, "LEAGUE", ("fake.rate", "fake.units"))
    yield
    del registry.apps["fake"]


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_every_listed_key_is_registered_or_pending():
    """The KPI list may name figures another change is adding (PENDING); nothing else unknown."""
    registered = set(figures())
    unknown = {key for key in dashboard.listed_keys() if key not in registered}
    assert unknown <= dashboard.PENDING, f"not registered and not pending: {sorted(unknown - dashboard.PENDING)}"


def test_the_real_kpis_equal_their_figures_own_compute(client, org):
    response = _get(client, org.street, on="2026-11-10")
    assert response.status_code == 200
    query = response.context["query"]
    assert query.node == org.street_a
    assert (query.period.start, query.period.end) == (date(2026, 11, 1), date(2026, 11, 30))
    registered = figures()
    cells = [cell for module in response.context["modules"] for cell in module.cells]
    assert {"cases.on_time_rate", "inspections.average_percent", "agreements.coverage_rate"} <= {c.key for c in cells}
    for cell in cells:
        own = registered[cell.key].compute(org.street_a.path, date(2026, 11, 1), date(2026, 11, 30))
        assert cell.cell.value == own, cell.key
    # Modules in the declared order, each holding only its own keys.
    slugs = [module.module.slug for module in response.context["modules"]]
    assert slugs == [m.slug for m in dashboard.MODULES if m.slug in slugs]
    page = response.content.decode()
    for cell in cells:
        if cell.url:
            assert f'href="{cell.url}"'.replace("&", "&amp;") in page, cell.key


def test_fake_kpis_values_links_grades_and_permissions(client, org, fakes):
    response = _get(client, org.community, on="2026-11-10")
    modules = {m.module.slug: m for m in response.context["modules"]}
    assert set(modules) == {"fake", "fake2"}  # no permission for accounts.user; fake.nowhere unregistered
    units, rate = modules["fake"].cells
    assert units.text == "2" and units.url == f"/units/?path={org.comm_a1.path}&start=2026-11-01"
    assert rate.text == "100" and rate.detail == "10/10" and rate.unit == "%"
    grade = modules["fake2"].cells[0]
    assert grade.text == "B级" and grade.unit == "" and grade.detail == "B级（幸福小区）"
    page = response.content.decode()
    assert 'data-kpi-link="fake.units"' in page and "测试账号数" not in page
    # The street may view accounts: its secret module is there.
    modules = {m.module.slug for m in _get(client, org.street).context["modules"]}
    assert "hidden" in modules


def test_trends_are_twelve_months_each_its_figure(client, org, fakes):
    response = _get(client, org.street, period="quarter", on="2026-05-10", part="all")
    trends = response.context["trends"]
    assert trends["labels"][0] == "2025-07" and trends["labels"][-1] == "2026-06" and len(trends["labels"]) == 12
    units, rate = trends["series"]
    assert units["key"] == "fake.units" and units["values"] == [3.0] * 12
    assert units["urls"][-1] == f"/units/?path={org.street_a.path}&start=2026-06-01"
    assert rate["values"] == [50.0] * 12 and rate["unit"] == "%"
    rows = response.context["trend_rows"]
    assert rows[0]["label"] == "2026-06" and rows[0]["values"][0] == {"text": "3", "url": units["urls"][-1]}
    assert 'data-trends="{&quot;labels&quot;' in response.content.decode()


def test_the_league_table_ranks_every_child_and_drills_down(client, org, fakes):
    response = _get(client, org.street, on="2026-11-10", part="all")
    league = response.context["league"]
    assert [figure.key for figure in league.columns] == ["fake.rate", "fake.units"]
    assert league.sort.key == "fake.rate"
    assert [(row.node, row.rank) for row in league.rows] == [(org.comm_a1, 1), (org.comm_a2, 2)]
    assert [row.tone for row in league.rows] == [dashboard.TONES, 1]
    # Sorted by a count where lower is better (fake.units is LOW): the one-unit community first.
    league = _get(client, org.street, on="2026-11-10", sort="fake.units", part="all").context["league"]
    assert [(row.node, row.rank) for row in league.rows] == [(org.comm_a2, 1), (org.comm_a1, 2)]
    for row in league.rows:
        assert [cell.key for cell in row.cells] == ["fake.rate", "fake.units"]
        params = parse_qs(urlsplit(row.url).query)
        assert params["jurisdiction"] == [str(row.node.pk)] and params["sort"] == ["fake.units"]
        assert params["on"] == ["2026-11-01"] and params["period"] == ["month"]
    # Drill down: the community's dashboard lists its estate, with the breadcrumb back up.
    child = client.get(league.rows[1].url + "&part=all")
    assert child.status_code == 200 and child.context["query"].node == org.comm_a1
    assert [row.node for row in child.context["league"].rows] == [org.estate_a1]
    assert child.context["league"].rows[0].rank == 1
    by_rate = _get(client, org.street, jurisdiction=org.comm_a1.pk, sort="fake.rate", part="all").context["league"]
    assert by_rate.rows[0].rank is None and by_rate.rows[0].tone == 0  # an estate has no rate: unranked
    assert [node for node, _url in child.context["ancestors"]] == [org.street_a]
    page = child.content.decode()
    assert f'data-drill="{org.estate_a1.pk}"' in page and f'data-crumb="{org.street_a.pk}"' in page


def test_ties_share_a_rank_and_sizes_are_shaded_not_judged():
    assert dashboard.tone_of(None, 1, 2, dashboard.HIGH) == 0
    assert dashboard.tone_of(Decimal(5), Decimal(5), Decimal(5), dashboard.HIGH) == 3
    assert dashboard.tone_of(Decimal(10), Decimal(0), Decimal(10), dashboard.LOW) == 1
    assert dashboard.tone_of(Decimal(10), Decimal(0), Decimal(10), dashboard.SIZE) == dashboard.TONES


def test_the_map_holds_the_children_with_an_outline(client, org, fakes):
    org.comm_a1.boundary = SQUARE
    org.comm_a1.save(update_fields=["boundary"])
    org.comm_a2.boundary = {"type": "Feature", "geometry": SQUARE, "properties": {}}
    org.comm_a2.save(update_fields=["boundary"])
    response = _get(client, org.street, on="2026-11-10", part="all")
    areas = response.context["map"]["areas"]
    assert [(a["id"], a["tone"], a["rank"], a["value"]) for a in areas] == [
        (org.comm_a1.pk, dashboard.TONES, 1, "100"),
        (org.comm_a2.pk, 1, 2, "50"),
    ]
    assert areas[1]["geometry"] == SQUARE and areas[0]["url"] == response.context["league"].rows[0].url
    assert response.context["map"]["figure"] == "测试比率"
    assert 'data-dashboard-map="{&quot;areas&quot;' in response.content.decode()
    # Without any boundary the card says so.
    response = _get(client, org.community, part="all")
    assert 'data-testid="dashboard-no-map"' in response.content.decode()


def test_other_jurisdiction_is_404_roles_and_bad_input(client, org):
    assert _get(client, org.street, jurisdiction=org.street_b.pk).status_code == 404
    assert _get(client, org.community, jurisdiction=org.street_a.pk).status_code == 404
    assert _get(client, org.street, jurisdiction=999999).status_code == 404
    for user in (org.grid, org.unit_contact):
        assert _get(client, user).status_code == 403
    for user in (org.leader, org.inspector, org.office, org.admin):
        assert _get(client, user).status_code == 200
    for params, message in (
        ({"sort": "nope"}, "「排序指标」的值无效"),
        ({"on": "2026-13-01"}, "「所在日期」的值无效"),
        ({"period": "week"}, "「周期」的值无效"),
    ):
        response = _get(client, org.street, **params)
        assert response.status_code == 400 and message in response.content.decode()


def test_the_menu_shows_it_to_readers_of_reports(client, org):
    for user, shown in ((org.street, True), (org.leader, True), (org.inspector, True), (org.grid, False)):
        client.force_login(user)
        page = client.get(reverse("core:home")).content.decode()
        assert ('data-nav="dashboard"' in page) is shown, user.role


def test_the_page_loads_its_trends_and_children_as_parts(client, org, fakes):
    response = _get(client, org.street, on="2026-11-10", sort="fake.units")
    assert "league" not in response.context and "trends" not in response.context
    page = response.content.decode()
    trends_url = response.context["part_urls"]["trends"]
    children_url = response.context["part_urls"]["children"]
    assert f'hx-get="{trends_url}"'.replace("&", "&amp;") in page and "sort=fake.units" in children_url
    trends = client.get(trends_url, HTTP_HX_REQUEST="true")
    assert trends.templates[0].name == "reports/_dashboard_trends.html"
    assert len(trends.context["trends"]["labels"]) == 12 and "modules" not in trends.context
    children = client.get(children_url, HTTP_HX_REQUEST="true")
    assert children.templates[0].name == "reports/_dashboard_children.html"
    assert [row.node for row in children.context["league"].rows] == [org.comm_a2, org.comm_a1]
    assert 'data-testid="league-table"' in children.content.decode()
    # Without htmx a part's link is the whole page.
    whole = client.get(response.context["all_url"])
    assert {"modules", "trends", "league"} <= set(whole.context.keys())


def _queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params, HTTP_HX_REQUEST="true").status_code == 200
    return len(queries)


def test_query_count_is_bounded(client, org):
    """The real figures. The page: the KPIs once. The trends: 12 months, whatever the node. The
    children: one computation per child, so a district with more streets adds only that part.
    (In tests every figure also pays a savepoint pair, totals._guarded.)"""
    client.force_login(org.street)
    _queries(client)  # warm caches (content types, thresholds)
    page = _queries(client, jurisdiction=org.street_a.pk)
    assert page <= 70, page
    street = _queries(client, jurisdiction=org.street_a.pk, part="trends")
    community = _queries(client, jurisdiction=org.comm_a2.pk, part="trends")
    assert street == community <= 12 * 22, (street, community)
    two = _queries(client, jurisdiction=org.street_a.pk, part="children")
    none = _queries(client, jurisdiction=org.comm_a2.pk, part="children")
    per_child = (two - none) / 2
    assert none <= 15 and per_child <= 35, (none, per_child)
