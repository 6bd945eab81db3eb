import pytest
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import User
from apps.core.exceptions import DomainError, OutsideJurisdiction
from apps.core.models import AuditEvent
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_and_wrong_password_message(client, org):
    response = client.post(reverse("accounts:login"), {"username": "t_comm", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "t_comm", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_navigation_follows_the_role(client, org):
    expectations = {
        "admin": {"jurisdictions", "units", "zones", "staff", "groups", "accounts", "reference", "imports", "audit"},
        "street": {"jurisdictions", "units", "zones", "staff", "groups", "accounts", "reference", "imports", "audit"},
        "community": {"jurisdictions", "units", "zones", "staff", "groups", "imports", "audit"},
        "grid": {"jurisdictions", "units", "zones", "staff", "groups", "imports"},
        "unit_contact": {"units", "zones", "imports", "inspections"},
        "leader": {"jurisdictions", "units", "zones", "staff", "groups", "imports", "audit"},
    }
    everyone = {"home", "cases", "rankings", "campaigns", "campaign_tasks", "meetings", "agreements"}
    for attr, keys in expectations.items():
        client.force_login(getattr(org, attr))
        items = client.get(reverse("core:home")).context["nav_items"]
        inspections = set() if attr == "grid" else {"inspections"}
        # The morning briefing, statistics, totals and the dashboard are the desk's pages, not the
        # field's or a unit's.
        desk_pages = {"briefing", "statistics", "standards", "totals", "dashboard"}
        desk = set() if attr in ("grid", "unit_contact") else desk_pages
        # Activities: the desk, grid workers (who record drives) and readers; volunteers likewise.
        activities = set() if attr == "unit_contact" else {"activities", "volunteers"}
        # Pest control (除四害), health education (健康教育) and surveys (问卷调查): everyone but unit contacts.
        pests = set() if attr == "unit_contact" else {"pestcontrol", "education", "surveys"}
        # Generated documents (工作文稿) and reporting upward (报送): the desk roles and leaders.
        documents = set() if attr in ("grid", "unit_contact") else {"documents", "submissions"}
        expected = keys | everyone | inspections | desk | activities | pests | documents
        assert {item["key"] for item in items} == expected, attr


def test_street_admin_cannot_grant_office_or_outside_scope(org):
    with pytest.raises(DomainError):
        services.user_create(
            actor=org.street, username="x1", password="Long-enough-1", role="office", jurisdiction=org.street_a
        )
    with pytest.raises(OutsideJurisdiction):
        services.user_create(
            actor=org.street, username="x2", password="Long-enough-1", role="community", jurisdiction=org.comm_b1
        )
    user = services.user_create(
        actor=org.street, username="x3", password="Long-enough-1", role="grid", jurisdiction=org.grid_a1, last_name="新"
    )
    assert user.check_password("Long-enough-1")
    event = AuditEvent.objects.get(action="accounts.user.created", object_id=str(user.pk))
    assert event.data["after"]["role"] == "网格员/巡查员"


def test_unit_contact_must_have_a_unit_and_takes_its_jurisdiction(org):
    with pytest.raises(Exception, match="必须绑定一个单位"):
        services.user_create(actor=org.admin, username="u1", password="Long-enough-1", role="unit_contact")
    user = services.user_create(
        actor=org.admin, username="u2", password="Long-enough-1", role="unit_contact", unit=org.unit_a2
    )
    assert user.jurisdiction == org.comm_a2


def test_weak_password_is_refused(org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_create(actor=org.admin, username="weak", password="123", role="grid", jurisdiction=org.grid_a1)
    assert not User.objects.filter(username="weak").exists()


def test_password_change_is_audited(client, org):
    client.force_login(org.grid)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Another-pass-77", "new_password2": "Another-pass-77"},
    )
    assert response.status_code == 302
    org.grid.refresh_from_db()
    assert org.grid.check_password("Another-pass-77")
    assert AuditEvent.objects.filter(action="accounts.user.password_changed", object_id=str(org.grid.pk)).exists()


def test_user_update_records_changes(client, org):
    client.force_login(org.street)
    response = client.post(
        reverse("accounts:user_update", args=[org.grid.pk]),
        {
            "last_name": "周",
            "first_name": "网格",
            "phone": "",
            "role": "inspector",
            "jurisdiction": org.street_a.pk,
            "unit": "",
            "is_active": "on",
            "password": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org.grid.refresh_from_db()
    assert org.grid.role == "inspector"
    event = AuditEvent.objects.get(action="accounts.user.updated", object_id=str(org.grid.pk))
    assert event.data["changes"]["role"] == ["grid", "inspector"]
