"""The home page per role: each role sees the panels of its own work, with the right numbers,
nothing it may not see, every link opening, and a bounded number of queries.

Data is built through the real services (cases reported, registered, dispatched, handled,
rejected; inspection rounds opened, filled, submitted and appealed; a ranking published).
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.cases import statistics
from apps.cases.categories import ensure_categories
from apps.cases.models import Case, Category
from apps.cases.tests.conftest import jpeg
from apps.inspections import services as inspection_services
from apps.inspections.tests.factories import build_inspections
from apps.notifications.models import Notification
from apps.organization.models import Staff
from apps.worktime.holidays import ensure_calendar

HOME = "/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _report(o, actor, jurisdiction, **extra):
    return case_services.case_report(
        actor=actor,
        category=Category.objects.get(code="exposed_garbage"),
        jurisdiction=jurisdiction,
        photos=[jpeg()],
        address=extra.pop("address", "人民路1号"),
        **extra,
    )


@pytest.fixture
def world(org):
    """Cases in every state the panels show, sheets to fill and appeal, and a ranking."""
    o = org
    ensure_categories()
    ensure_calendar()
    Staff.objects.filter(pk=o.staff_a1.pk).update(account=o.grid)  # the grid worker's staff record
    o.reported = _report(o, o.grid, o.grid_a1, description="待立案的上报")
    o.rejected = case_services.case_reject(
        actor=o.community, case=_report(o, o.grid, o.grid_a1), reason="不属于环境卫生问题"
    )
    o.registered = case_services.case_register(actor=o.community, case=_report(o, o.grid, o.grid_a1))
    # Dispatched to the unit: one with time left, one overdue.
    o.dispatched = case_services.case_dispatch(
        actor=o.community,
        case=case_services.case_register(actor=o.community, case=_report(o, o.grid, o.grid_a1)),
        unit=o.unit_a1,
    )
    o.overdue = case_services.case_dispatch(
        actor=o.community,
        case=case_services.case_register(actor=o.community, case=_report(o, o.grid, o.grid_a1)),
        unit=o.unit_a1,
    )
    Case.objects.filter(pk=o.overdue.pk).update(deadline_at=timezone.now() - timedelta(hours=5))
    # A 12345 call about the unit: the caller's name must never reach the unit.
    hotline = _report(
        o,
        o.community,
        o.grid_a1,
        source="hotline",
        reporter_name="王热线",
        reporter_phone="13912345678",
        hotline_ticket="12345-1",
    )
    o.hotline = case_services.case_dispatch(
        actor=o.community, case=case_services.case_register(actor=o.community, case=hotline), unit=o.unit_a1
    )
    # Handled by the unit, awaiting 核查.
    handled = case_services.case_dispatch(
        actor=o.community,
        case=case_services.case_register(actor=o.community, case=_report(o, o.grid, o.grid_a1)),
        unit=o.unit_a1,
    )
    o.handled = case_services.case_handle(actor=o.unit_contact, case=handled, note="已清理", photos=[jpeg()])
    # Sent to the grid worker's own staff record, failed verification: back for rework.
    rework = case_services.case_dispatch(
        actor=o.community,
        case=case_services.case_register(actor=o.community, case=_report(o, o.grid, o.grid_a1)),
        staff=o.staff_a1,
    )
    rework = case_services.case_handle(actor=o.grid, case=rework, note="已清理", photos=[jpeg()])
    o.rework = case_services.case_verify(actor=o.inspector, case=rework, passed=False, note="整改不彻底")
    # Another street's case: nobody in street A sees it.
    o.elsewhere = _report(o, o.community_b, o.comm_b1)

    build_inspections(o)  # a submitted sheet of unit A1 (appealed), a draft, a published ranking
    today = timezone.localdate()
    second = inspection_services.round_open(
        actor=o.street, plan=o.plan, period_start=today, period_end=today, deadline=today
    )
    sheet = second.inspections.get(target_unit=o.unit_a1)
    inspection_services.inspection_save_item(
        actor=o.inspector, inspection=sheet, item_id=o.item.pk, occurrences=2, note="两处垃圾", stamp=1
    )
    inspection_services.inspection_add_photo(actor=o.inspector, inspection=sheet, item_id=o.item.pk, upload=jpeg())
    o.open_sheet = inspection_services.inspection_submit(actor=o.inspector, inspection=sheet, open_cases=False)
    o.open_result = o.open_sheet.results.get()
    late = inspection_services.round_open(
        actor=o.street,
        plan=o.plan,
        period_start=today - timedelta(days=6),
        period_end=today - timedelta(days=1),
        deadline=today - timedelta(days=1),
    )
    o.late_round = late
    o.late_sheet = late.inspections.get(target_unit=o.unit_a1b)
    return o


def _home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _panels(html: str) -> str:
    start = html.index('data-testid="home-panels"')
    return html[start : html.index("</main>")]


def _keys(html: str) -> list[str]:
    return re.findall(r'data-panel="([^"]+)"', html)


def _links(html: str) -> list[str]:
    return sorted({unescape(h) for h in re.findall(r'href="([^"#]+)"', _panels(html)) if h.startswith("/")})


def _assert_links_open(client, html):
    for url in _links(html):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def _tile(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>\s*<span class="num">([^<]*)<', html)
    assert match, testid
    return match.group(1).strip()


def test_grid_worker_sees_the_report_button_first_their_reports_and_what_came_back(client, world):
    o = world
    html = _home(client, o.grid)
    assert _keys(html)[:3] == ["cases.report", "cases.my_reports", "cases.sent_back"]
    assert f'href="{reverse("cases:case_report")}"' in html
    reports = html[html.index('data-testid="my-reports"') : html.index('data-widget="cases.sent_back"')]
    assert o.reported.code in reports and "待核实" in reports
    assert o.rejected.code in reports and "不予立案" in reports
    sent_back = html[html.index('data-testid="sent-back"') :]
    sent_back = sent_back[: sent_back.index("</section>")]
    assert o.rejected.code in sent_back and "不属于环境卫生问题" in sent_back
    assert o.rework.code in sent_back and "需返工" in sent_back
    assert o.reported.code not in sent_back and o.dispatched.code not in sent_back
    for absent in ("cases.queue", "cases.kpis", "cases.unit_open", "core.notices"):
        assert absent not in _keys(html)
    _assert_links_open(client, html)


def test_community_sees_its_queue_with_drill_down_and_the_briefing(client, world):
    o = world
    html = _home(client, o.community)
    assert _keys(html)[:2] == ["cases.queue", "cases.briefing"]
    for key, status in [
        ("reported", "reported"),
        ("registered", "registered"),
        ("returned", "returned"),
        ("overdue", "overdue"),
        ("handled", "handled"),
    ]:
        expected = case_selectors.case_list(user=o.community, filters={"status": status}).count()
        assert _tile(html, f"queue-{key}") == str(expected), key
        assert f'href="/cases/?status={status}"' in html
    assert _tile(html, "queue-reported") == "1"
    assert _tile(html, "queue-overdue") == "1"
    assert _tile(html, "queue-handled") == "1"
    assert f'href="{reverse("cases:briefing")}"' in html
    assert "home-report" not in html
    _assert_links_open(client, html)


def test_unit_contact_sees_its_cases_with_time_left_never_the_reporter(client, world):
    o = world
    html = _home(client, o.unit_contact)
    assert _keys(html) == [
        "cases.unit_open",
        "core.notices",
        "inspections.appeal_windows",
        "inspections.my_scores",
        "organization.unit",
    ]
    panel = html[html.index('data-widget="cases.unit_open"') : html.index('data-widget="core.notices"')]
    for case in (o.dispatched, o.overdue, o.hotline, o.handled):
        assert case.code in panel
    assert "剩余" in panel
    assert "已超期" in panel and "is-overdue" in panel
    assert o.reported.code not in panel and o.elsewhere.code not in panel and o.rework.code not in panel
    # Who reported stays hidden from the unit: no grid worker, no hotline caller, no phone.
    for secret in (o.grid.display_name, "王热线", "13912345678"):
        assert secret not in html
    unread = Notification.objects.filter(recipient=o.unit_contact, read_at__isnull=True).count()
    assert unread > 0
    assert f'data-testid="notices-unread">{unread}<' in html
    appeal_url = reverse("inspections:appeal_create", args=[o.open_sheet.pk, o.open_result.pk])
    assert f'href="{appeal_url}"' in html
    # The first sheet's only deduction is already appealed: no second appeal offered, one pending.
    assert reverse("inspections:appeal_create", args=[o.sheet.pk, o.result.pk]) not in html
    assert 'data-testid="appeals-pending"' in html
    assert str(o.open_sheet.percent) in html
    assert "home-report" not in html
    _assert_links_open(client, html)


def test_inspector_sees_todays_sheets_overdue_marked_and_cases_to_verify(client, world):
    o = world
    html = _home(client, o.inspector)
    assert _keys(html)[:2] == ["inspections.todays_sheets", "cases.to_verify"]
    sheets = html[html.index('data-testid="todays-sheets"') : html.index('data-widget="cases.to_verify"')]
    assert o.draft.target_label in sheets
    assert o.late_sheet.target_label in sheets and 'data-testid="sheet-overdue"' in sheets
    # Only the sheets of the round past its deadline are marked (not today's draft).
    assert sheets.count('data-testid="sheet-overdue"') == o.late_round.inspections.filter(inspector=o.inspector).count()
    assert reverse("inspections:inspection_fill", args=[o.late_sheet.pk]) in sheets
    verify = html[html.index('data-testid="to-verify"') :]
    assert o.handled.code in verify and o.dispatched.code not in verify
    # Opening the list behind the panel (not the fill pages: opening one starts the sheet).
    for url in _links(html):
        if "/fill/" not in url:
            assert client.get(url, follow=True).status_code == 200, url


@pytest.mark.parametrize("role", ["street", "office", "leader"])
def test_street_office_and_leader_see_the_kpis_ranking_movement_and_notices(client, world, role):
    o = world
    user = getattr(o, role)
    html = _home(client, user)
    assert _keys(html) == ["cases.kpis", "inspections.ranking_movement", "core.notices", "organization.area"]
    today = timezone.localdate()
    totals = statistics.case_statistics(user=user, start=today.replace(day=1), end=today, group_by="month")[-1]
    on_time = f"{totals.on_time_closure_rate}%" if totals.on_time_closure_rate is not None else "—"
    rework = f"{totals.rework_rate}%" if totals.rework_rate is not None else "—"
    assert _tile(html, "kpi-on-time") == on_time
    assert _tile(html, "kpi-rework") == rework
    assert totals.returned_for_rework == 1
    overdue = case_selectors.case_list(user=user, filters={"status": "overdue"}).count()
    assert _tile(html, "kpi-overdue") == str(overdue) == "1"
    assert 'href="/cases/?status=overdue"' in html
    assert o.published.get_absolute_url() in html
    _assert_links_open(client, html)


def test_leader_home_is_read_only(client, world):
    html = _home(client, world.leader)
    panels = _panels(html)
    assert 'class="btn' not in panels
    assert "<form" not in panels and "<button" not in panels
    assert reverse("cases:case_report") not in panels


# Measured with this world (including the session, the user and the menu's unread count,
# which today runs again for each panel rendered); a panel querying per row breaks these.
# Issue 11 added the panels of meetings, agreements and activities: one or two queries each.
# Issue 12 added the desks' pest-control panel (four aggregates: operations, drugs, follow-ups,
# expiring batches) and the street's and community's Aedes panel, which asks once whether anything
# was visited this week (this world: nothing, so no panel; with visits it adds three aggregates).
# Issue 13 added the desks' health-education panel (the year's plans, activities and 人次: four
# aggregates), the street's and community's overdue boards (one count) and the open surveys of the
# desks and leaders (one aggregate).
QUERY_BUDGET = {
    "grid": 22,
    "community": 37,
    "unit_contact": 19,
    "inspector": 21,
    "street": 42,
    "office": 40,
    "leader": 30,
}


@pytest.mark.parametrize("role", sorted(QUERY_BUDGET))
def test_home_costs_a_bounded_number_of_queries(client, world, role, django_assert_max_num_queries):
    from apps.cases.rollups import rollups_refresh

    user = getattr(world, role)
    client.force_login(user)
    rollups_refresh()  # measured between two refreshes of the statistics' rollups (issue 14)
    with django_assert_max_num_queries(QUERY_BUDGET[role]):
        assert client.get(HOME).status_code == 200


def test_ranking_movement_lists_who_rose_and_who_fell(client, world):
    from apps.inspections.models import PublishedRanking
    from apps.inspections.widgets import _movers

    rows = [
        {"label": "甲", "rank": 1, "movement": 2},
        {"label": "乙", "rank": 2, "movement": None},
        {"label": "丙", "rank": 3, "movement": -1},
        {"label": "丁", "rank": 4, "movement": 0},
        {"label": "戊", "rank": 5, "movement": -3},
    ]
    risers, fallers = _movers(rows)
    assert [(r["label"], r["steps"]) for r in risers] == [("甲", 2)]
    assert [(r["label"], r["steps"]) for r in fallers] == [("戊", 3), ("丙", 1)]
    # The stored ranking's rows, as a recalculation against a previous period leaves them.
    PublishedRanking.objects.filter(pk=world.published.pk).update(rows=rows)
    panels = _panels(_home(client, world.leader))
    assert "↑2</span> 甲" in panels and "↓3</span> 戊" in panels and "↓1</span> 丙" in panels
