"""The case transition table drives the page, the API and the services alike: for every role
and status, a step's button is shown exactly when the service would take it."""

import pytest
from django.db import transaction
from django.urls import reverse

from apps.cases import services, workflow
from apps.cases.api import views as api_views
from apps.cases.api.serializers import API_ACTIONS
from apps.cases.choices import OPEN_STATUSES, CaseStatus
from apps.cases.models import Case
from apps.cases.views import PAGE_CALLS, STEP_CALLS
from apps.core.exceptions import PermissionDeniedForRole
from apps.core.workflow import InvalidTransition

from .conftest import jpeg

pytestmark = pytest.mark.django_db
TABLE = workflow.CASE_WORKFLOW


class _Rollback(Exception):
    pass


def _users(org):
    return [
        org.admin,
        org.office,
        org.street,
        org.community,
        org.community_b,
        org.grid,
        org.inspector,
        org.unit_contact,
        org.leader,
    ]


def _service_allows(case, user) -> set[str]:
    allowed = set()
    for name in TABLE.names():
        try:
            with transaction.atomic():
                services._transition(case=case, action=name, actor=user, expected_version=case.version)
                allowed.add(name)
                raise _Rollback
        except (_Rollback, InvalidTransition, PermissionDeniedForRole):
            pass
    return allowed


@pytest.mark.parametrize("assignee", ["unit_a1", "unit_a1b"])
def test_buttons_are_exactly_the_steps_the_service_allows_for_every_role_and_status(client, org, cats, assignee):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    for status in CaseStatus.values:
        Case.objects.filter(pk=case.pk).update(status=status, assignee_unit=getattr(org, assignee))
        case.refresh_from_db()
        for user in _users(org):
            if not Case.objects.restrict(user, "view").filter(pk=case.pk).exists():
                continue
            shown = set(workflow.allowed_actions(case, user))
            assert shown == _service_allows(case, user), (status, user.username)
            client.force_login(user)
            page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
            buttons = {name for name in TABLE.names() if f'data-testid="action-{name}"' in page}
            assert buttons == shown - {"merge"}, (status, user.username)  # 合并 needs a duplicate to show


def test_every_step_has_a_page_input_and_an_api_route():
    assert set(STEP_CALLS) == set(TABLE.names())
    assert not set(PAGE_CALLS) & set(TABLE.names())
    assert set(API_ACTIONS) == set(TABLE.names()) - {"merge"}
    assert set(api_views.STEP_INPUTS) == set(API_ACTIONS.values())


def test_labels_and_the_public_page_come_from_the_table():
    assert workflow.label("verify_fail") == "核查不通过（返工）"
    assert workflow.label("report") == "上报"
    assert workflow.label("unknown_step") == "unknown_step"
    public = workflow.public_steps_labels()
    assert public["report"] == "已受理" and public["verify_pass"] == "已核查办结" and "dispute" not in public
    assert {s for s in CaseStatus.values if TABLE.is_finished(s)} == {"closed", "rejected", "voided"}
    assert {s for s in CaseStatus.values if not TABLE.is_finished(s)} == {str(s) for s in OPEN_STATUSES}


def test_an_unknown_step_on_the_page_is_a_404(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    client.force_login(org.community)
    response = client.post(reverse("cases:case_action", args=[case.pk, "teleport"]), {"version": case.version})
    assert response.status_code == 404


def test_the_public_page_tells_the_outcome_from_the_table(client, org, cats):
    case = services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    services.case_reject(actor=org.community, case=case, reason="不属实")
    page = client.get(reverse("public:public_track_code", args=[case.tracking_code])).content.decode()
    assert "已处理（不予立案）" in page and "不予立案" in page
