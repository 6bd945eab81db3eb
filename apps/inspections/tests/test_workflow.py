"""The inspection tables (score sheets, appeals) drive the pages and the services alike: for
every role and status, a button or form is shown exactly when the service would take the step,
and no code but the engine assigns a status."""

import pathlib
import re

import pytest
from django.db import transaction
from django.urls import reverse

from apps.core.exceptions import PermissionDeniedForRole
from apps.core.workflow import InvalidTransition
from apps.inspections import services
from apps.inspections.choices import AppealStatus, InspectionStatus
from apps.inspections.models import Appeal, Inspection
from apps.inspections.workflow import APPEAL_WORKFLOW, SHEET_WORKFLOW

from .conftest import fill

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _users(org):
    return [
        org.admin,
        org.office,
        org.street,
        org.street_other,
        org.community,
        org.community_other,
        org.grid,
        org.inspector,
        org.unit_contact,
        org.leader,
    ]


def _engine_allows(table, obj, user) -> set[str]:
    allowed = set()
    for name in table.names():
        try:
            with transaction.atomic():
                table.perform(name, obj=obj, actor=user)
                allowed.add(name)
                raise _Rollback
        except (_Rollback, InvalidTransition, PermissionDeniedForRole):
            pass
    return allowed


@pytest.mark.parametrize("target", ["unit_a2", "comm_a1"])
def test_sheet_buttons_match_the_service_for_every_role_status_and_inspector(client, org, checklist, target):
    if target == "comm_a1":  # a place: its own community's worker may not score it
        from apps.inspections.tests.factories import make_checklist
        from apps.organization.models import JurisdictionLevel

        template = make_checklist(
            org.office, "t-place", "社区检查表", [("1", "整洁", "10", "fixed", "2", None, False, False)]
        )
        template.target_kind, template.level = "jurisdiction", JurisdictionLevel.objects.get(code="community")
        template.save()
        sheet = services.inspection_create(actor=org.street, template=template, jurisdiction=org.comm_a1)
    else:
        sheet = services.inspection_create(actor=org.inspector, template=checklist, unit=org.unit_a2)
    for status in InspectionStatus.values:
        for inspector in (None, org.inspector):
            Inspection.objects.filter(pk=sheet.pk).update(status=status, inspector=inspector)
            sheet.refresh_from_db()
            for user in _users(org):
                if not Inspection.objects.restrict(user, "view").filter(pk=sheet.pk).exists():
                    continue
                shown = {t.name for t in SHEET_WORKFLOW.available(sheet, user)}
                assert shown == _engine_allows(SHEET_WORKFLOW, sheet, user), (status, inspector, user.username)
                client.force_login(user)
                page = client.get(reverse("inspections:inspection_detail", args=[sheet.pk])).content.decode()
                fill_link = reverse("inspections:inspection_fill", args=[sheet.pk])
                assert (fill_link in page) == bool(shown), (status, inspector, user.username)


def test_appeal_form_matches_the_service_for_every_role_and_status(client, org, checklist):
    sheet = services.inspection_create(actor=org.inspector, template=checklist, unit=org.unit_a1)
    fill(sheet, org.inspector, {"B": 1})
    sheet = services.inspection_submit(actor=org.inspector, inspection=sheet, open_cases=False)
    appeal = services.appeal_submit(actor=org.unit_contact, result=sheet.results.get(item__code="B"), reason="已清理")
    for status in AppealStatus.values:
        Appeal.objects.filter(pk=appeal.pk).update(status=status)
        appeal.refresh_from_db()
        for user in [*_users(org)]:
            if not Appeal.objects.restrict(user, "view").filter(pk=appeal.pk).exists():
                continue
            shown = {t.name for t in APPEAL_WORKFLOW.available(appeal, user)}
            assert shown == _engine_allows(APPEAL_WORKFLOW, appeal, user), (status, user.username)
            client.force_login(user)
            page = client.get(reverse("inspections:appeal_detail", args=[appeal.pk])).content.decode()
            assert ('data-testid="appeal-decision"' in page) == bool(shown), (status, user.username)


def test_the_inspector_may_not_decide_an_appeal_against_their_own_sheet(org, checklist):
    sheet = services.inspection_create(actor=org.street, template=checklist, unit=org.unit_a1)
    fill(sheet, org.street, {"B": 1})
    sheet = services.inspection_submit(actor=org.street, inspection=sheet, open_cases=False)
    appeal = services.appeal_submit(actor=org.unit_contact, result=sheet.results.get(item__code="B"), reason="已清理")
    assert APPEAL_WORKFLOW.available(appeal, org.street) == []
    with pytest.raises(PermissionDeniedForRole, match="本人检查"):
        services.appeal_decide(actor=org.street, appeal=appeal, overturn=True, note="撤销")
    decided = services.appeal_decide(actor=org.office, appeal=appeal, overturn=False, note="维持")
    assert decided.status == AppealStatus.UPHELD
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="inspections.appeal.upheld", object_id=str(appeal.pk)).exists()


def test_an_ad_hoc_sheet_is_created_planned_and_started_by_the_engine(org, checklist):
    from apps.core.models import AuditEvent

    sheet = services.inspection_create(actor=org.inspector, template=checklist, unit=org.unit_a2)
    assert sheet.status == InspectionStatus.IN_PROGRESS and sheet.started_at is not None
    events = AuditEvent.objects.filter(object_id=str(sheet.pk), action__startswith="inspections.inspection.")
    actions = list(events.order_by("id").values_list("action", flat=True))
    assert actions == ["inspections.inspection.created", "inspections.inspection.started"]


def test_no_code_but_the_engine_assigns_an_inspection_or_appeal_status():
    root = pathlib.Path(__file__).resolve().parents[1]
    assignment = re.compile(
        r"\.status\b[^=\n]*(?<![=!<>])=(?!=)"  # sheet.status = ... / sheet.status, x = ...
        r"|\"status\":\s*(InspectionStatus|AppealStatus)"  # changes={"status": ...}
        r"|(?<!\w)status=(InspectionStatus|AppealStatus)\.\w+,?\s*$"  # Inspection(status=...)
    )
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if assignment.search(line) and "filter(" not in line and "exclude(" not in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
