"""Personal data of a case's reporter under the one policy (issue 9, finding 5).

A 12345 caller's name and phone: the leader and the inspector read them masked in the API as
on the page; a dispatcher reads them masked, asks 显示, reads them in full, and the audit log
holds a readable row of that; the unit never reads them at all.
"""

import json

import pytest
from django.urls import reverse

from apps.accounts.services import api_token_issue
from apps.cases import services
from apps.cases.choices import CaseSource
from apps.core.models import AuditEvent
from apps.core.personal import REVEAL_ACTION

from .conftest import jpeg

pytestmark = pytest.mark.django_db

CALLER, PHONE = "钱小来", "13912345678"
MASKED_CALLER, MASKED_PHONE = "钱*来", "139****5678"


@pytest.fixture
def hotline(org, cats):
    case = services.case_report(
        actor=org.community,
        category=cats["clutter"],
        source=CaseSource.HOTLINE,
        jurisdiction=org.comm_a1,
        reporter_name=CALLER,
        reporter_phone=PHONE,
        hotline_ticket="12345-0099",
    )
    case = services.case_register(actor=org.community, case=case)
    return services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)


def reveal_url(case, field="reporter_phone"):
    return reverse("core:personal_reveal", args=["cases.case", case.pk, field])


def _api(client, user, case):
    """The case as an app reads it with the user's token (no session)."""
    client.logout()
    token = api_token_issue(actor=None, owner=user, name="test")[1]
    response = client.get(f"/api/v1/cases/{case.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ["leader", "inspector"])
def test_the_leaders_and_the_inspectors_api_response_masks_the_phone(client, org, hotline, role):
    response = _api(client, getattr(org, role), hotline)
    body = response.json()
    assert body["reporter_phone"] == MASKED_PHONE
    assert body["reporter_name"] == MASKED_CALLER
    assert PHONE not in response.content.decode() and CALLER not in response.content.decode()
    # The page says the same, and offers them no 显示.
    client.force_login(getattr(org, role))
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert MASKED_PHONE in html and PHONE not in html and CALLER not in html
    assert reveal_url(hotline) not in html
    # Asking anyway is refused, and leaves no audit row.
    assert client.post(reveal_url(hotline)).status_code == 403
    assert not AuditEvent.objects.filter(action=REVEAL_ACTION).exists()


def test_a_dispatcher_reads_masked_reveals_and_the_reveal_is_audited(client, org, hotline):
    client.force_login(org.street)
    html = client.get(hotline.get_absolute_url()).content.decode()
    assert MASKED_PHONE in html and MASKED_CALLER in html
    assert PHONE not in html and CALLER not in html
    assert reveal_url(hotline) in html and reveal_url(hotline, "reporter_name") in html
    # The API masks it for the dispatcher too: the full value is only the audited 显示.
    assert client.get(f"/api/v1/cases/{hotline.pk}/").json()["reporter_phone"] == MASKED_PHONE

    response = client.post(reveal_url(hotline), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert PHONE in fragment and f'href="tel:{PHONE}"' in fragment and "<script" not in fragment
    assert "no-store" in response["Cache-Control"]

    event = AuditEvent.objects.get(action=REVEAL_ACTION)
    assert event.actor == org.street and event.object_id == str(hotline.pk)
    assert event.action_label == "案件 · 查看个人信息"
    assert dict(event.values_display()) == {"查看的信息": "联系电话", "人员类别": "12345来电人"}
    assert PHONE not in json.dumps(event.data, ensure_ascii=False)  # which field, never the value
    # The audit log shows it to those who read the log, in the case's area.
    client.force_login(org.leader)
    audit = client.get(reverse("core:audit_list"), {"action": REVEAL_ACTION}).content.decode()
    assert "查看个人信息" in audit and "联系电话" in audit and "12345来电人" in audit and hotline.code in audit

    # The name is revealed the same way, as its own audited row.
    client.force_login(org.community)
    assert CALLER in client.post(reveal_url(hotline, "reporter_name")).content.decode()
    assert AuditEvent.objects.filter(action=REVEAL_ACTION).count() == 2


def test_reveal_answers_403_to_a_role_not_allowed_and_404_outside_the_area(client, org, hotline):
    for user in (org.leader, org.inspector, org.grid):
        client.force_login(user)
        assert client.post(reveal_url(hotline)).status_code == 403, user.role
    # The unit the case is about: refused, whatever the policy says of its role.
    client.force_login(org.unit_contact)
    assert client.post(reveal_url(hotline)).status_code == 403
    # A dispatcher of another community or street: the case is not theirs to open.
    for user in (org.community_other, org.community_b, org.street_other):
        client.force_login(user)
        assert client.post(reveal_url(hotline)).status_code == 404, user.username
    # Unknown objects and fields that are no personal data read as missing; GET is not a 显示.
    client.force_login(org.community)
    assert (
        client.post(reverse("core:personal_reveal", args=["cases.case", 999999, "reporter_phone"])).status_code == 404
    )
    assert client.post(reveal_url(hotline, "description")).status_code == 404
    assert client.post("/personal/cases.case/x/reporter_phone/reveal/").status_code == 404  # ids are ASCII digits
    assert client.get(reveal_url(hotline)).status_code == 405
    client.logout()
    assert client.post(reveal_url(hotline)).status_code == 302
    assert not AuditEvent.objects.filter(action=REVEAL_ACTION).exists()


def test_the_unit_never_reads_the_caller_not_even_masked(client, org, hotline):
    client.force_login(org.unit_contact)
    html = client.get(hotline.get_absolute_url()).content.decode()
    for secret in (CALLER, PHONE, MASKED_CALLER, MASKED_PHONE, "5678"):
        assert secret not in html, secret
    assert "12345热线" in html  # the neutral label in the reporter's place
    body = _api(client, org.unit_contact, hotline).json()
    assert body["reporter_name"] is None and body["reporter_phone"] is None


def test_a_staff_reporter_is_named_in_full_and_reads_their_own_report(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    client.force_login(org.leader)
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["reporter_name"] == org.grid.display_name
    # A dispatcher who typed in a call is not its caller: they read it masked like everyone.
    hotline = services.case_report(
        actor=org.community,
        category=cats["clutter"],
        source=CaseSource.HOTLINE,
        jurisdiction=org.comm_a1,
        reporter_name=CALLER,
        reporter_phone=PHONE,
    )
    client.force_login(org.community)
    assert client.get(f"/api/v1/cases/{hotline.pk}/").json()["reporter_phone"] == MASKED_PHONE


def test_open311_never_returns_personal_data(client, org, hotline):
    key = api_token_issue(actor=None, owner=org.community, name="test")[1]
    for auth in ({}, {"HTTP_AUTHORIZATION": f"Token {key}"}):
        client.logout()
        for url in ("/api/open311/v2/requests.json", f"/api/open311/v2/requests/{hotline.code}.json"):
            text = client.get(url, **auth).content.decode()
            for secret in (CALLER, PHONE, MASKED_CALLER, MASKED_PHONE):
                assert secret not in text, (url, secret)


def test_the_schema_types_the_reporter_fields_as_nullable_strings(client, org):
    client.force_login(org.community)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    props = schema["components"]["schemas"]["CaseDetail"]["properties"]
    for name in ("reporter_name", "reporter_phone"):
        assert props[name]["type"] == "string" and props[name].get("nullable") is True, props[name]
