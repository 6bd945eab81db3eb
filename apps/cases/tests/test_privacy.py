"""Whoever reported a case stays unknown to the unit the case is about (issue 8, item 9).

Three cases reach unit A1: one reported by a grid worker with a distinctive name, one from
a 12345 caller, one from a resident's public report. The unit contact then reads everything
the unit can read (case pages and timelines, the lists, the home page, the inbox, the .docx
notices, the .xlsx ledger both ways, the API, Open311, the audit log) and none of it may
carry a reporter's name, phone or username. The community dispatcher still sees them, so
the masking is not global.
"""

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.cases import privacy, services, workflow
from apps.cases.choices import CaseSource
from apps.cases.models import Case
from apps.core.roles import Role, role_allows
from tests.builders import PASSWORD

from .conftest import jpeg

pytestmark = pytest.mark.django_db

GRID_NAME, GRID_USERNAME, GRID_PHONE = "甄隐名", "zhen_yinming", "13900001111"
CALLER_NAME, CALLER_PHONE = "钱来电", "13900002222"
RESIDENT_NAME, RESIDENT_PHONE = "孙市民", "13900003333"
SECOND_NAME, SECOND_USERNAME = "钟二报", "zhong_erbao"
SECRETS = [GRID_NAME, GRID_USERNAME, GRID_PHONE, CALLER_NAME, CALLER_PHONE, RESIDENT_NAME, RESIDENT_PHONE]
SECRETS += [SECOND_NAME, SECOND_USERNAME]


def _dispatch(org, case):
    case = services.case_register(actor=org.community, case=case)
    return services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)


def _grid_worker(org, username, name, phone=""):
    grid = User(username=username, role=Role.GRID, jurisdiction=org.grid_a1, last_name=name, phone=phone)
    grid.set_password(PASSWORD)
    grid.save()
    return grid


@pytest.fixture
def reported(org, cats):
    grid = _grid_worker(org, GRID_USERNAME, GRID_NAME, GRID_PHONE)
    patrol = services.case_report(
        actor=grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()], address="人民路1号"
    )
    patrol = _dispatch(org, patrol)
    # The grid worker comes back with another photo after the dispatch: their name must not show either.
    services.case_add_photos(actor=grid, case=patrol, photos=[jpeg()], note="又堆上了")
    # A second grid worker saw it too: they are reporting it as much as the first.
    second = _grid_worker(org, SECOND_USERNAME, SECOND_NAME)
    services.case_add_photos(actor=second, case=patrol, photos=[jpeg()], note="还在")
    # Overdue: reminders and the 督办 notice reach the unit.
    Case.objects.filter(pk=patrol.pk).update(deadline_at=timezone.now() - timedelta(days=10))
    assert services.cases_escalate()["supervised"] == 1
    hotline = services.case_report(
        actor=org.community,
        category=cats["clutter"],
        source=CaseSource.HOTLINE,
        jurisdiction=org.comm_a1,
        reporter_name=CALLER_NAME,
        reporter_phone=CALLER_PHONE,
        hotline_ticket="12345-0001",
        description="楼下堆放杂物",
    )
    hotline = _dispatch(org, hotline)
    services.case_hotline_answer(actor=org.community, case=hotline, answer="已派遣物业处理")
    resident = services.case_report(
        actor=None,
        category=cats["clutter"],
        source=CaseSource.RESIDENT,
        jurisdiction=org.grid_a1,
        reporter_name=RESIDENT_NAME,
        reporter_phone=RESIDENT_PHONE,
    )
    resident = _dispatch(org, resident)
    return {"grid": grid, "cases": [Case.objects.get(pk=c.pk) for c in (patrol, hotline, resident)]}


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def _json_text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _unit_readings(client, org, cases, monkeypatch, django_capture_on_commit_callbacks) -> dict[str, str]:
    """Everything the unit contact can open about its cases, as text, keyed by where it came from."""
    client.force_login(org.unit_contact)
    read = {}

    def page(name, url, **params):
        response = client.get(url, params)
        if response.status_code == 200:
            read[name] = response.content.decode()
        return response

    page("home", reverse("core:home"))
    page("case list", reverse("cases:case_list"))
    page("inbox", reverse("notifications:list"))
    for case in cases:
        assert page(f"page {case.code}", case.get_absolute_url()).status_code == 200
        notice = client.get(reverse("cases:case_notice", args=[case.pk]))
        assert notice.status_code == 200
        read[f"notice {case.code}"] = _docx_text(notice.content)
        supervision = client.get(reverse("cases:case_supervision_notice", args=[case.pk]))
        if supervision.status_code == 200:
            read[f"supervision {case.code}"] = _docx_text(supervision.content)
    assert any(key.startswith("supervision") for key in read)
    # The ledger: downloaded at once, and as a background job.
    export = client.get(reverse("cases:case_list"), {"export": "xlsx"})
    read["export"] = _xlsx_text(export.content)
    monkeypatch.setattr("apps.imports.views.SYNC_EXPORT_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.get(reverse("cases:case_list"), {"export": "xlsx"})
    job_pk = job_page.url.rstrip("/").rsplit("/", 1)[-1]
    download = client.get(reverse("imports:job_download", args=[job_pk]))
    read["export job"] = _xlsx_text(b"".join(download.streaming_content))
    # The API, with the unit's token as an app would call it.
    token = api_token_issue(actor=None, owner=org.unit_contact, name="test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client.logout()
    read["api list"] = _json_text(client.get("/api/v1/cases/", **auth))
    for case in cases:
        read[f"api {case.code}"] = _json_text(client.get(f"/api/v1/cases/{case.pk}/", **auth))
        read[f"api photos {case.code}"] = _json_text(client.get(f"/api/v1/cases/{case.pk}/photos/", **auth))
        read[f"open311 {case.code}"] = _json_text(client.get(f"/api/open311/v2/requests/{case.code}.json", **auth))
    read["open311"] = _json_text(client.get("/api/open311/v2/requests.json", **auth))
    # The audit log is not the unit's to read: if that ever changes, this must be revisited.
    audit_api = client.get("/api/v1/audit-events/", **auth)
    assert audit_api.status_code == 403
    client.force_login(org.unit_contact)
    assert page("audit", reverse("core:audit_list")).status_code == 403
    return read


def test_the_unit_never_learns_who_reported(client, org, reported, monkeypatch, django_capture_on_commit_callbacks):
    cases = reported["cases"]
    read = _unit_readings(client, org, cases, monkeypatch, django_capture_on_commit_callbacks)
    assert len(read) > 15 and all(case.code in read["export job"] and case.code in read["inbox"] for case in cases)
    leaks = {where: found for where, text in read.items() if (found := _leaks(text))}
    assert leaks == {}
    # What replaces the name: the neutral label of the source, on the page and in the timeline.
    patrol_page = read[f"page {cases[0].code}"]
    assert patrol_page.count(str(privacy.REPORTER_LABELS[CaseSource.PATROL])) >= 4  # 上报 line, report, 2 photos
    api = json.loads(read[f"api {cases[1].code}"])
    assert api["reporter_name"] is None and api["reporter_phone"] is None  # not even masked
    assert api["events"][0]["actor_name"] == str(privacy.REPORTER_LABELS[CaseSource.HOTLINE])
    # The unit still sees who dispatched and who checks: only the reporter is masked.
    assert "t_comm" in patrol_page


def test_the_dispatcher_still_sees_the_reporter(client, org, reported):
    patrol, hotline, resident = reported["cases"]
    client.force_login(org.community)
    html = client.get(patrol.get_absolute_url()).content.decode()
    assert html.count(GRID_NAME) >= 3 and SECOND_NAME in html  # 上报 line, report event, photo events
    # Masked by default (apps/core/personal.py), with a 显示 for the full value.
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert "钱*电" in html and "139****2222" in html and "显示" in html
    assert CALLER_NAME not in html and CALLER_PHONE not in html
    html = client.get(resident.get_absolute_url()).content.decode()
    assert "孙*民" in html and "139****3333" in html
    assert RESIDENT_NAME not in html and RESIDENT_PHONE not in html
    body = client.get(f"/api/v1/cases/{hotline.pk}/").json()
    assert body["reporter_name"] == "钱*电" and body["reporter_phone"] == "139****2222"
    body = client.get(f"/api/v1/cases/{patrol.pk}/").json()
    assert body["events"][0]["actor_name"] == GRID_NAME


def test_who_may_see_the_reporter(org, reported):
    patrol, hotline, _resident = reported["cases"]
    grid = reported["grid"]
    assert not workflow.may_see_reporter(org.unit_contact, patrol)
    assert workflow.may_see_reporter(org.community, patrol) and workflow.may_see_reporter(org.leader, patrol)
    assert workflow.may_see_reporter(grid, patrol)  # the reporter themself
    # Everyone who may know the caller reads them masked; the dispatchers may reveal (显示).
    assert privacy.reporter_phone_display(hotline, org.community) == "139****2222"
    assert privacy.reporter_phone_display(hotline, org.grid) == "139****2222"
    assert privacy.reporter_display(hotline, org.grid) == "钱*电"
    assert privacy.reporter_display(hotline, org.unit_contact) == str(privacy.REPORTER_LABELS[CaseSource.HOTLINE])
    # The audit log would show the reporter as actor: no unit contact may read it.
    assert not role_allows(Role.UNIT_CONTACT, "core.auditevent", "view")


def test_a_person_assigned_the_case_does_not_see_the_reporter_either(org, cats, reported):
    """A case can go to a person instead of a unit: they are the one it is about."""
    org.staff_a1.account = org.grid
    org.staff_a1.save(update_fields=["account"])
    case = services.case_report(
        actor=org.community,
        category=cats["clutter"],
        source=CaseSource.HOTLINE,
        jurisdiction=org.comm_a1,
        reporter_name=CALLER_NAME,
        reporter_phone=CALLER_PHONE,
    )
    case = services.case_register(actor=org.community, case=case)
    case = services.case_dispatch(actor=org.community, case=case, staff=org.staff_a1)
    grid = User.objects.get(pk=org.grid.pk)
    assert not workflow.may_see_reporter(grid, case)
    assert privacy.reporter_display(case, grid) == str(privacy.REPORTER_LABELS[CaseSource.HOTLINE])
    report = case.events.get(action="report")
    assert privacy.event_actor_display(report, grid) == str(privacy.REPORTER_LABELS[CaseSource.HOTLINE])
    assert privacy.event_actor_display(report, org.community) == org.community.display_name


def test_nobody_hidden_from_the_reporter_can_read_the_audit_log():
    """The audit log names whoever reported (its actor): every role kept from the reporter on an
    assigned case must be a role the audit log refuses, or the rule would protect nothing."""
    from apps.core.roles import Role, role_allows

    for role in Role:
        if role == Role.UNIT_CONTACT or role in workflow.FIELD_ROLES:
            assert not role_allows(role, "core.auditevent", "view"), role
