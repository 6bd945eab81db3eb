import pytest
from django.urls import reverse

from apps.cases import services, statistics_views
from apps.cases.choices import CaseStatus
from apps.cases.models import Case
from apps.core.models import AuditEvent
from apps.notifications.models import Notification

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def _report(client, cats, **extra):
    data = {
        "category": cats["exposed_garbage"].pk,
        "description": "垃圾堆",
        "address": "人民路1号",
        "lat": "31.467000",
        "lng": "104.683000",
        "photos": [jpeg()],
    }
    data.update(extra)
    return client.post(reverse("cases:case_report"), data)


def test_report_page_creates_a_case_with_photos(client, org, cats):
    client.force_login(org.grid)
    response = _report(client, cats, jurisdiction=org.grid_a1.pk)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.reporter == org.grid and case.photos.count() == 1 and case.jurisdiction == org.grid_a1
    html = client.get(case.get_absolute_url()).content.decode()
    assert case.code in html and 'data-testid="compare"' in html


def test_report_needs_a_place_and_real_photos(client, org, cats):
    client.force_login(org.grid)
    response = _report(client, cats, lat="", lng="", address="")
    assert response.status_code == 400 and "请定位" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _report(
        client,
        cats,
        photos=[SimpleUploadedFile("a.jpg", b"<script>", content_type="image/jpeg")],
        jurisdiction=org.grid_a1.pk,
    )
    assert response.status_code == 400 and "只能上传照片" in response.content.decode()
    assert not Case.objects.exists()


def test_nearby_open_case_is_offered_before_a_new_one(client, org, cats):
    client.force_login(org.grid)
    _report(client, cats, jurisdiction=org.grid_a1.pk)
    response = _report(client, cats, jurisdiction=org.grid_a1.pk, lat="31.467050")
    assert response.status_code == 200 and 'data-testid="duplicates"' in response.content.decode()
    assert Case.objects.count() == 1
    first = Case.objects.get()
    response = _report(client, cats, jurisdiction=org.grid_a1.pk, lat="31.467050", add_to=first.pk)
    assert response["Location"] == first.get_absolute_url() and first.photos.count() == 2
    _report(client, cats, jurisdiction=org.grid_a1.pk, lat="31.467050", not_duplicate="1")
    assert Case.objects.count() == 2


def test_actions_from_the_case_page(client, org, cats):
    case = services.case_report(
        actor=org.grid, category=cats["exposed_garbage"], jurisdiction=org.grid_a1, photos=[jpeg()], address="x"
    )
    client.force_login(org.community)
    url = lambda action: reverse("cases:case_action", args=[case.pk, action])  # noqa: E731
    assert client.post(url("register"), {"version": case.version}).status_code == 302
    case.refresh_from_db()
    response = client.post(url("dispatch"), {"unit": org.unit_a1.pk, "version": case.version}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.assignee_unit == org.unit_a1
    assert "已派遣" in response.content.decode()
    # A stale form (old version) gets a clear conflict message and changes nothing.
    response = client.post(url("void"), {"version": case.version - 1, "note": "x"}, follow=True)
    assert "已被他人修改" in response.content.decode()
    client.force_login(org.unit_contact)
    client.post(url("handle"), {"version": case.version, "note": "已清理", "photos": jpeg()})
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED and case.photos.filter(stage="after").count() == 1
    # Missing after-photo: refused with the reason, state unchanged.
    client.force_login(org.inspector)
    client.post(url("verify_fail"), {"version": case.version, "note": ""}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED
    client.post(url("verify_pass"), {"version": case.version, "note": "合格"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_unit_contact_sees_only_its_cases(client, org, cats):
    mine = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    mine = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=mine), unit=org.unit_a1
    )
    client.force_login(org.unit_contact)
    rows = client.get(reverse("cases:case_list")).context["rows"]
    assert [c.pk for c in rows] == [mine.pk]


def test_public_report_and_tracking_show_only_public_status(client, org, cats):
    from apps.organization.models import Jurisdiction

    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(
        boundary={
            "type": "Polygon",
            "coordinates": [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]],
        }
    )
    response = client.post(
        reverse("public:public_report"),
        {
            "category": cats["graffiti"].pk,
            "description": "电线杆小广告",
            "lat": "31.465",
            "lng": "104.685",
            "reporter_phone": "13912345678",
            "photos": [jpeg()],
        },
    )
    case = Case.objects.get()
    assert case.source == "resident" and case.reporter is None and case.jurisdiction_id == org.grid_a1.pk
    assert response["Location"].endswith(f"/public/track/{case.tracking_code}/")
    html = client.get(response["Location"]).content.decode()
    assert "处理中" in html and "13912345678" not in html and "已受理" in html
    assert client.get(reverse("public:public_track_code", args=["NOPE1234"])).status_code == 404


def test_public_report_outside_any_boundary_is_refused(client, org, cats):
    response = client.post(
        reverse("public:public_report"), {"category": cats["graffiti"].pk, "address": "某处", "photos": [jpeg()]}
    )
    assert response.status_code == 400 and not Case.objects.exists()


def test_briefing_counts(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    from datetime import timedelta

    from django.utils import timezone

    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=1))
    client.force_login(org.community)
    context = client.get(reverse("cases:briefing")).context
    assert context["yesterday_total"] == 1
    assert context["by_category"] == [{"category__name": "乱堆乱放", "n": 1}]


def test_map_data_is_scoped(client, org, cats):
    services.case_report(
        actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()], lat="31.467", lng="104.683"
    )
    client.force_login(org.community)
    assert len(client.get(reverse("cases:case_map_data")).json()["points"]) == 1
    client.force_login(org.community_b)
    assert client.get(reverse("cases:case_map_data")).json()["points"] == []


def test_hotline_record(client, org, cats):
    client.force_login(org.community)
    response = client.post(
        reverse("cases:hotline_create"),
        {
            "hotline_ticket": "12345-2026-1",
            "received_at": "2026-11-20T09:00",
            "reporter_phone": "13800000000",
            "category": cats["road_occupation"].pk,
            "address": "人民路",
            "jurisdiction": org.comm_a1.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == "hotline" and case.answer_due_at is not None


def test_notifications_inbox(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=case), unit=org.unit_a1
    )
    client.force_login(org.unit_contact)
    assert client.get(reverse("core:home")).context["unread_notifications"] == 1
    client.post(reverse("notifications:list"))
    assert not Notification.objects.filter(recipient=org.unit_contact, read_at__isnull=True).exists()


def test_case_export(client, org, cats):
    services.case_report(
        actor=org.grid,
        category=cats["clutter"],
        jurisdiction=org.grid_a1,
        photos=[jpeg()],
        description="=cmd|' /C calc'!A0",
    )
    client.force_login(org.community)
    response = client.get(reverse("cases:case_list"), {"export": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号" and rows[1][5].startswith("'=")


def test_statistics_page_figures_link_to_their_cases(client, org, cats):
    closed = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    closed = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=closed), unit=org.unit_a1
    )
    closed = services.case_handle(actor=org.unit_contact, case=closed, note="ok", photos=[jpeg()])
    services.case_verify(actor=org.inspector, case=closed, passed=True)
    services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    client.force_login(org.street)
    response = client.get(reverse("cases:statistics"), {"group_by": "jurisdiction"})
    table = response.context["table"]
    total = next(item for item in table if item["row"].is_total)
    assert (total["row"].reported, total["row"].closed) == (2, 1)
    closed_url = total["cells"][7][1]  # the 结案 column
    rows = client.get(closed_url).context["rows"]
    assert [c.pk for c in rows] == [closed.pk]
    export = client.get(reverse("cases:statistics"), {"group_by": "category", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("group_by", ["jurisdiction", "unit", "category", "week"])
def test_statistics_page_links_are_each_figures_own_filters(client, org, cats, group_by):
    """The page encodes a row's filters and each metric's once (statistics_views._row_links): every
    link still carries exactly case_filter_for(row, metric), and the cells show the figures."""
    from datetime import timedelta
    from urllib.parse import parse_qsl, urlsplit

    from django.utils import timezone

    from apps.cases import statistics

    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=case), unit=org.unit_a1
    )
    services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    client.force_login(org.street)
    today = timezone.localdate()
    start, end = today - timedelta(days=20), today
    response = client.get(reverse("cases:statistics"), {"group_by": group_by, "start": start, "end": end})
    html = response.content.decode()
    table = response.context["table"]
    assert table and all(len(item["cells"]) == 15 for item in table)
    for item in table:
        row = item["row"]
        assert str(item["cells_html"]) in html
        for (value, url), metric in zip(item["cells"], _PAGE_METRICS, strict=True):
            assert value == getattr(row, metric)
            wanted = statistics.case_filter_for(row.key, group_by, metric, start=start, end=end)
            assert dict(parse_qsl(urlsplit(url).query)) == wanted
            assert urlsplit(url).path == reverse("cases:case_list")
    assert set(_PAGE_METRICS) == set(statistics.METRIC_FILTERS)


_PAGE_METRICS = statistics_views.PAGE_METRICS


def test_case_list_rows_show_links_labels_and_deadlines(client, org, cats):
    """The list's rows are built by views._label_rows: link, source, time, 大类/小类, place, status
    and the deadline badge, escaped."""
    case = services.case_report(
        actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()], address="<b>路口</b>"
    )
    case = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=case), unit=org.unit_a1
    )
    client.force_login(org.community)
    html = client.get(reverse("cases:case_list"), {"status": "open"}).content.decode()
    assert f'<a href="{case.get_absolute_url()}">{case.code}</a>' in html
    assert "&lt;b&gt;路口&lt;/b&gt;" in html and "<b>路口</b>" not in html
    assert f"{cats['clutter'].parent.name}/{cats['clutter'].name}" in html
    assert f'<span class="badge status-dispatched">{CaseStatus.DISPATCHED.label}</span>' in html
    assert 'data-deadline="ok"' in html or 'data-deadline="due_soon"' in html
    assert f"<td>{org.unit_a1.name}</td>" in html


def test_admin_changes_a_category_deadline_and_new_dispatches_use_it(client, org, cats):
    category = cats["clutter"]
    client.force_login(org.admin)
    response = client.post(
        reverse("cases:category_update", args=[category.pk]),
        {
            "parent": category.parent_id,
            "code": category.code,
            "name": category.name,
            "kind": "event",
            "deadline_amount": 3,
            "deadline_unit": "hours",
            "photo_required": "on",
            "is_active": "on",
            "sort": 1,
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="cases.category.updated").exists()
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    case = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=case), unit=org.unit_a1
    )
    from apps.worktime.calendar import WorkCalendar

    assert WorkCalendar().working_hours_between(case.dispatched_at, case.deadline_at) == pytest.approx(3)
    client.force_login(org.street)
    assert client.get(reverse("cases:category_update", args=[category.pk])).status_code == 403


def test_statistics_page_folds_a_long_tail_of_units(client, org, cats, monkeypatch):
    from apps.cases import statistics_views as views

    monkeypatch.setattr(views, "SHOWN_ROWS", 1)
    for unit in (org.unit_a1, org.unit_a1b, org.unit_a1b):
        case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
        services.case_dispatch(
            actor=org.community, case=services.case_register(actor=org.community, case=case), unit=unit
        )
    client.force_login(org.street)
    response = client.get(reverse("cases:statistics"), {"group_by": "unit"})
    rows = [item["row"] for item in response.context["table"]]
    assert [r.label for r in rows] == ["甲一面馆", "其他 1 项", "合计"]
    assert [r.reported for r in rows] == [2, 1, 3]
    assert all(url is None for _value, url in response.context["table"][1]["cells"])
