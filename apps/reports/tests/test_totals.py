"""数据汇总 (reports:totals): figures by group, the roll-up table, scope, input and failures."""

import io
import logging
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.evidence import FigureSource, FigureValue
from apps.core.registry import AppEntries, registry
from apps.organization.models import Unit
from apps.reports import totals

pytestmark = pytest.mark.django_db

URL = reverse("reports:totals")
CALLS = []


def _units(path, start, end):
    CALLS.append((path, start, end))
    count = Unit.objects.filter(jurisdiction__path__within=path).count()
    return FigureValue(Decimal(count), url=f"/units/?path={path}")


def _empty_rate(path, start, end):
    return FigureValue(None, Decimal(0), Decimal(0), url="/rate/")


def _half_rate(path, start, end):
    return FigureValue(Decimal("87.50"), Decimal(7), Decimal(8), url="/half/")


def _broken(path, start, end):
    raise RuntimeError("boom")


FAKES = [
    FigureSource("fake.units", "测试单位数", "个", _units, group="测试组", order=1),
    FigureSource("fake.rate", "测试空比率", "%", _empty_rate, group="测试组", order=3),
    FigureSource("fake.broken", "测试出错项", "个", _broken, group="测试组", order=2),
    FigureSource("fake.half", "测试比率", "%", _half_rate, group="测试组", order=4),
    FigureSource("fake.secret", "测试账号数", "个", _units, group="测试组", order=5, permission="accounts.user"),
]


@pytest.fixture
def fakes():
    registry.apps["fake"] = AppEntries(label="fake", figures=FAKES)
    CALLS.clear()
    yield
    del registry.apps["fake"]


def _group(client, user, **params):
    client.force_login(user)
    return client.get(URL, {"group": "fake", **params})


def test_street_sees_its_node_and_its_communities(client, org, fakes, caplog):
    caplog.set_level(logging.ERROR, logger="apps.reports.totals")
    response = _group(client, org.street)
    assert response.status_code == 200
    section = response.context["sections"][0]
    assert section["group"].label == "测试组"
    # Sorted by `order`; the street may view accounts, so the secret figure is there.
    assert [f.key for f in section["group"].figures] == [
        "fake.units",
        "fake.broken",
        "fake.rate",
        "fake.half",
        "fake.secret",
    ]
    rows = section["rows"]
    assert [row.node for row in rows] == [org.street_a, org.comm_a1, org.comm_a2]
    assert [row.cells[0].text for row in rows] == ["3", "2", "1"]
    assert rows[0].cells[0].url == f"/units/?path={org.street_a.path}"
    broken, empty, half = rows[0].cells[1], rows[0].cells[2], rows[0].cells[3]
    assert broken.failed and broken.text == "计算出错"
    assert empty.text == "—" and empty.ratio == "0/0"
    assert half.text == "87.5" and half.ratio == "7/8"
    assert "fake.broken" in caplog.text and "boom" in caplog.text
    page = response.content.decode()
    assert 'href="/units/?path=' in page and "计算出错" in page and "7/8" in page
    assert "下级之和可能大于上级" in page


def test_a_figure_is_shown_only_with_its_permission(client, org, fakes):
    response = _group(client, org.community)
    keys = [f.key for f in response.context["sections"][0]["group"].figures]
    assert "fake.secret" not in keys and "fake.units" in keys
    assert "测试账号数" not in response.content.decode()


def test_the_apps_figures_need_their_own_permission(client, org):
    """A grid worker may open the page (it reads the tree) but not inspection sheets: no
    inspection figures; cases and activities (which they read) stay."""
    client.force_login(org.grid)
    slugs = {section["group"].slug for section in client.get(URL).context["sections"]}
    assert "inspections" not in slugs and {"cases", "activities"} <= slugs
    assert _group(client, org.grid, group="inspections").status_code == 404
    figures = {figure.key: figure for figure in registry.figures()}
    assert figures["cases.closure_rate"].permission == "cases.case"
    assert figures["inspections.average_percent"].permission == "inspections.inspection"


def test_another_jurisdiction_is_404_and_a_child_is_fine(client, org, fakes):
    assert _group(client, org.street, jurisdiction=org.street_b.pk).status_code == 404
    assert _group(client, org.community, jurisdiction=org.street_a.pk).status_code == 404
    response = _group(client, org.street, jurisdiction=org.comm_a1.pk)
    assert response.status_code == 200
    rows = response.context["sections"][0]["rows"]
    assert [row.node for row in rows] == [org.comm_a1, org.estate_a1]


def test_unit_contact_may_not_open_it(client, org):
    client.force_login(org.unit_contact)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01", "end": "2026-12-31"}, "「开始日期」的值无效"),
        ({"start": "2026-02-01"}, "同时填写「开始日期」和「结束日期」"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "「开始日期」不能晚于「结束日期」"),
        ({"period": "week"}, "「周期」的值无效"),
        ({"on": "yesterday"}, "「所在日期」的值无效"),
        ({"jurisdiction": "１"}, "「辖区」的值无效"),
        ({"group": "nope"}, "「分组」的值无效"),
    ],
)
def test_bad_input_is_a_clear_400(client, org, fakes, params, message):
    client.force_login(org.street)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CALLS


def test_periods_and_custom_ranges_reach_the_figures(client, org, fakes):
    _group(client, org.street, period="quarter", on="2026-05-10")
    assert CALLS[0] == (org.street_a.path, date(2026, 4, 1), date(2026, 6, 30))
    CALLS.clear()
    response = _group(client, org.street, start="2026-02-03", end="2026-02-20")
    assert CALLS[0] == (org.street_a.path, date(2026, 2, 3), date(2026, 2, 20))
    assert response.context["query"].label == "2026.02.03至2026.02.20"
    CALLS.clear()
    response = _group(client, org.street, period="year", on="2025-07-01")
    assert CALLS[0][1:] == (date(2025, 1, 1), date(2025, 12, 31))
    assert response.context["previous_url"].endswith("on=2024-01-01")


def test_the_page_lazy_loads_each_group_and_htmx_gets_the_fragment(client, org, fakes):
    client.force_login(org.street)
    page = client.get(URL)
    assert page.status_code == 200 and not CALLS  # nothing computed until a group is asked for
    slugs = [section["group"].slug for section in page.context["sections"]]
    assert {"cases", "inspections", "fake"} <= set(slugs)
    assert 'hx-get="?' in page.content.decode()
    fragment = client.get(URL, {"group": "fake"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert fragment.templates[0].name == "reports/_totals_group.html"
    assert 'data-loaded="1"' in fragment.content.decode()


def test_every_registered_group_renders(client, org):
    client.force_login(org.street)
    for section in client.get(URL).context["sections"]:
        response = client.get(URL, {"group": section["group"].slug}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, section["group"].slug
        assert "计算出错" not in response.content.decode(), section["group"].slug


def test_english_groups(client, org):
    client.force_login(org.street)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(URL)
    assert "Totals" in page.content.decode()
    for section in page.context["sections"]:
        text = client.get(URL, {"group": section["group"].slug}, HTTP_HX_REQUEST="true").content.decode()
        assert not re.search("[：（），、。；]", text), (section["group"].slug, text)


def test_queries_grow_with_the_cells_only(client, org, fakes):
    """A group costs its figures' own queries per cell plus a handful for the page."""
    client.force_login(org.street)
    client.get(URL, {"group": "fake"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"group": "fake"}, HTTP_HX_REQUEST="true")
    # 3 nodes × 2 counting figures (units, secret) = 6, savepoints around each of 15 cells (tests
    # run in a transaction) = 30, session/user/scope/children ≈ a handful.
    assert len(queries) <= 6 + 30 + 8, [q["sql"] for q in queries.captured_queries]


BATCH_CALLS = []


def _pair(path, start, end):
    BATCH_CALLS.append(path)
    return {"pair.a": FigureValue(Decimal(1)), "pair.b": FigureValue(Decimal(2))}


def _pair_broken(path, start, end):
    raise RuntimeError("batch down")


def _alone(value):
    return lambda path, start, end: FigureValue(Decimal(value))


def test_figures_of_one_batch_are_computed_once_per_row(client, org, caplog):
    """Figures naming the same extra["batch"] share one call per row; a figure the batch does
    not answer, or whose batch fails, is computed on its own."""
    caplog.set_level(logging.CRITICAL, logger="apps.reports.totals")
    batch, broken = {"batch": _pair}, {"batch": _pair_broken}
    registry.apps["pair"] = AppEntries(
        label="pair",
        figures=[
            FigureSource("pair.a", "甲", "个", _alone(10), group="成对", extra=batch),
            FigureSource("pair.b", "乙", "个", _alone(20), group="成对", extra=batch),
            FigureSource("pair.c", "丙", "个", _alone(3), group="成对", extra=batch),
            FigureSource("pair.d", "丁", "个", _alone(4), group="成对", extra=broken),
        ],
    )
    BATCH_CALLS.clear()
    try:
        client.force_login(org.street)
        response = client.get(URL, {"group": "pair"})
    finally:
        del registry.apps["pair"]
    rows = response.context["sections"][0]["rows"]
    assert [[cell.text for cell in row.cells] for row in rows] == [["1", "2", "3", "4"]] * len(rows)
    assert sorted(BATCH_CALLS) == sorted(row.node.path for row in rows)


def test_xlsx_download(client, org, fakes):
    client.force_login(org.street)
    response = client.get(URL, {"group": "fake", "export": "xlsx", "period": "month", "on": "2026-03-05"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="totals-{org.street_a.pk}-2026-03-01-2026-03-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("辖区", "分组", "指标", "数值")
    units = [row for row in rows[1:] if row[9] == "fake.units"]
    assert [(row[0], row[3]) for row in units] == [("甲街道", 3), ("甲一社区", 2), ("甲二社区", 1)]
    assert {row[8] for row in rows[1:]} == {"2026年3月"}
    assert any(row[3] == "计算出错" for row in rows[1:])


@pytest.mark.parametrize(
    ("kind", "on", "label", "bounds", "previous", "following"),
    [
        ("month", date(2026, 1, 31), "2026年1月", (date(2026, 1, 1), date(2026, 1, 31)), "2025-12-01", "2026-02-01"),
        ("month", date(2024, 2, 10), "2024年2月", (date(2024, 2, 1), date(2024, 2, 29)), "2024-01-01", "2024-03-01"),
        (
            "quarter",
            date(2026, 11, 15),
            "2026年第4季度",
            (date(2026, 10, 1), date(2026, 12, 31)),
            "2026-07-01",
            "2027-01-01",
        ),
        ("year", date(2026, 6, 1), "2026年度", (date(2026, 1, 1), date(2026, 12, 31)), "2025-01-01", "2027-01-01"),
    ],
)
def test_a_period_is_cut_named_and_stepped_by_worktime(org, kind, on, label, bounds, previous, following):
    query = totals.query_for(org.street_a, kind, on)
    assert (query.start, query.end) == bounds and query.label == label
    assert query.step(-1)["on"] == previous and query.step(+1)["on"] == following


def test_a_custom_span_is_named_by_its_dates_and_has_no_neighbours(org):
    query = totals.Query(org.street_a, totals.CUSTOM, date(2026, 1, 2), date(2026, 2, 3))
    assert query.label == "2026.01.02至2026.02.03"
    assert query.step(-1) is None and query.step(+1) is None


def test_the_page_says_when_rolled_up_totals_are_behind(client, org, monkeypatch):
    from apps.activities import services as activities
    from apps.core import rollups

    client.force_login(org.street)
    assert "totals-as-of" not in client.get(URL).content.decode()
    monkeypatch.setattr(rollups, "INLINE_LIMIT", 0)  # too many changes to apply inside a request
    activities.activity_create(
        actor=org.street,
        kind="cleanup",
        title="drive",
        held_on=date.today(),
        jurisdiction=org.comm_a1,
        participants={"resident": 5},
    )
    page = client.get(URL).content.decode()
    assert 'data-testid="totals-as-of"' in page and "部分汇总数据截至" in page
    rollups.rollups_refresh_all()
    assert "totals-as-of" not in client.get(URL).content.decode()
