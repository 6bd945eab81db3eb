"""The core workflow engine, on a table declared here over the Case model (so these tests do
not depend on the cases app's own table): table, role, predicate, scope, version, targeted
save, audit, and `available()` agreeing with `perform()`."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.cases import services as case_services
from apps.cases.categories import ensure_categories
from apps.cases.choices import CaseStatus
from apps.cases.models import Case, Category
from apps.cases.tests.conftest import jpeg
from apps.core.exceptions import ConcurrentEdit, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.core.workflow import InvalidTransition, Workflow, transition
from apps.worktime.holidays import ensure_calendar

pytestmark = pytest.mark.django_db

TABLE = Workflow(
    model=Case,
    audit_prefix="tests.case",
    finished={CaseStatus.CLOSED: "done", CaseStatus.VOIDED: None},
    transitions=[
        transition("accept", [CaseStatus.REPORTED], CaseStatus.REGISTERED, "accept", roles={Role.COMMUNITY}),
        transition(
            "drop",
            [CaseStatus.REPORTED, CaseStatus.REGISTERED],
            CaseStatus.VOIDED,
            "drop",
            roles={Role.COMMUNITY, Role.STREET},
            allowed=lambda case, user: user.role == Role.STREET or not case.description.startswith("keep"),
            denied="not this one",
        ),
        transition(
            "close", [CaseStatus.REGISTERED], CaseStatus.CLOSED, "close", roles={Role.STREET}, audit_action="x.y"
        ),
    ],
)


@pytest.fixture(autouse=True)
def _unlabelled_test_actions(settings):
    """The tables declared here audit as "tests.case.*", which no app labels."""
    settings.CHUANGWEI_REQUIRE_AUDIT_LABELS = False


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cats(db):
    ensure_categories()
    ensure_calendar()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def case(org, cats):
    return case_services.case_report(
        actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, description="堆物", photos=[jpeg()]
    )


def test_the_table_is_read_by_name_with_default_and_explicit_audit_actions():
    assert TABLE.names() == ["accept", "drop", "close"]
    assert TABLE["accept"].audit_action == "tests.case.accept"
    assert TABLE["close"].audit_action == "x.y"
    assert TABLE.is_finished(CaseStatus.CLOSED) and TABLE.outcome(CaseStatus.CLOSED) == "done"
    assert TABLE.is_finished(CaseStatus.VOIDED) and TABLE.outcome(CaseStatus.VOIDED) is None
    assert not TABLE.is_finished(CaseStatus.REPORTED)
    with pytest.raises(ValueError, match="duplicate"):
        Workflow(model=Case, audit_prefix="t", transitions=[TABLE["accept"], TABLE["accept"]])


def test_a_step_moves_the_status_saves_only_its_fields_and_audits(org, case):
    with CaptureQueriesContext(connection) as queries:
        done = TABLE.perform("accept", obj=case, actor=org.community, changes={"address": "新地址"}, note="ok")
    assert done.status == CaseStatus.REGISTERED and done.version == case.version + 1
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"address"' in updates[0] and '"status"' in updates[0] and '"version"' in updates[0]
    assert '"description"' not in updates[0] and '"category_id"' not in updates[0]
    event = AuditEvent.objects.filter(action="tests.case.accept").get()
    assert event.object_id == str(case.pk) and event.actor == org.community
    assert event.data == {"changes": {"status": ["待核实", "已立案"]}, "note": "ok"}
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.address == "新地址"


def test_changes_may_depend_on_the_locked_row(org, case):
    done = TABLE.perform("accept", obj=case, actor=org.community, changes=lambda row: {"address": row.code})
    assert done.address == case.code


def test_an_illegal_source_is_refused_and_nothing_is_written(org, case):
    with pytest.raises(InvalidTransition, match="待核实"):
        TABLE.perform("close", obj=case, actor=org.street)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED and not AuditEvent.objects.filter(action="x.y").exists()


def test_a_wrong_role_is_refused_even_from_the_right_status(org, case):
    for user in (org.grid, org.unit_contact, org.leader, org.inspector):
        with pytest.raises(PermissionDeniedForRole):
            TABLE.perform("accept", obj=case, actor=user)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


def test_the_predicate_narrows_the_role_with_its_message(org, case):
    Case.objects.filter(pk=case.pk).update(description="keep me")
    case.refresh_from_db()
    with pytest.raises(PermissionDeniedForRole, match="not this one"):
        TABLE.perform("drop", obj=case, actor=org.community)
    assert TABLE.perform("drop", obj=case, actor=org.street).status == CaseStatus.VOIDED


def test_outside_the_actors_scope_is_refused(org, case):
    with pytest.raises(OutsideJurisdiction):
        TABLE.perform("accept", obj=case, actor=org.community_b)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


def test_a_stale_version_is_refused(org, case):
    with pytest.raises(ConcurrentEdit):
        TABLE.perform("accept", obj=case, actor=org.community, expected_version=case.version + 1)
    assert TABLE.perform("accept", obj=case, actor=org.community, expected_version=case.version).version == 2


def test_a_second_concurrent_step_from_the_same_page_is_refused(org, case):
    """Two people load the case at version 1; the first step wins, the second is refused both
    by version (409) and, without one, by the table (the status has moved on)."""
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    TABLE.perform("accept", obj=first, actor=org.community, expected_version=first.version)
    with pytest.raises(ConcurrentEdit):
        TABLE.perform("drop", obj=second, actor=org.street, expected_version=second.version)
    with pytest.raises(InvalidTransition):
        TABLE.perform("accept", obj=second, actor=org.community)
    assert AuditEvent.objects.filter(action__startswith="tests.case.").count() == 1


def test_the_guard_runs_on_the_locked_row_and_can_refuse(org, case):
    from apps.core.exceptions import DomainError

    def guard(row):
        raise DomainError("no")

    with pytest.raises(DomainError, match="no"), transaction.atomic():
        TABLE.perform("accept", obj=case, actor=org.community, guard=guard)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


def test_the_system_skips_role_and_scope_but_not_the_table(org, case):
    assert TABLE.perform("accept", obj=case, actor=None).status == CaseStatus.REGISTERED
    assert AuditEvent.objects.get(action="tests.case.accept").actor is None
    with pytest.raises(InvalidTransition):
        TABLE.perform("accept", obj=case, actor=None)


def test_on_done_sees_the_source_status(org, case):
    seen = []
    TABLE.perform(
        "accept", obj=case, actor=org.community, on_done=lambda row, before: seen.append((before, row.status))
    )
    assert seen == [(CaseStatus.REPORTED, CaseStatus.REGISTERED)]


def test_available_is_exactly_what_perform_allows(org, case):
    users = [org.admin, org.office, org.street, org.community, org.grid, org.inspector, org.unit_contact, org.leader]
    for description in ("plain", "keep me"):
        for status in (CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.CLOSED):
            Case.objects.filter(pk=case.pk).update(status=status, description=description)
            case.refresh_from_db()
            for user in users:
                if not Case.objects.restrict(user, "view").filter(pk=case.pk).exists():
                    continue  # the page is a 404 for them: no buttons to compare
                shown = {t.name for t in TABLE.available(case, user)}
                allowed = set()
                for name in TABLE.names():
                    try:
                        with transaction.atomic():
                            TABLE.perform(name, obj=case, actor=user)
                            allowed.add(name)
                            raise _Rollback
                    except (_Rollback, InvalidTransition, PermissionDeniedForRole):
                        pass
                assert shown == allowed, (status, description, user.role)


class _Rollback(Exception):
    pass
