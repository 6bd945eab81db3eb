"""The boards' and smoke-free places' figures and evidence sources, through the registry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.cases.tests.conftest import jpeg
from apps.core.evidence import EvidenceQuery
from apps.core.registry import registry
from apps.education.services import boards as services
from apps.education.services import smokefree

pytestmark = pytest.mark.django_db


def _figure(key):
    return next(f for f in registry.figures() if f.key == key)


def test_figures_and_evidence(org):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    installed = (last_month - timedelta(days=1)).replace(day=1)
    kept = services.board_create(
        actor=org.community, jurisdiction=org.grid_a1, name="甲栏", place="x", installed_on=installed
    )
    services.board_create(actor=org.community, jurisdiction=org.grid_a1, name="乙栏", place="y", installed_on=installed)
    services.board_update_record(actor=org.community, board=kept, updated_on=last_month, topic="t", photos=[jpeg()])
    place = smokefree.place_create(
        actor=org.community, jurisdiction=org.grid_a1, name="站", kind="medical", signs_required=2, signs_posted=2
    )
    smokefree.check_record(actor=org.community, place=place, checked_on=today, signs_found=2)
    path = org.grid_a1.path
    assert _figure("education.boards").compute(path, None, None).value == 2
    on_time = _figure("education.boards_on_time").compute(path, None, None)
    assert on_time.value == Decimal("50.0") and on_time.denominator == 2
    assert _figure("education.no_smoking_signs").compute(path, None, None).value == 2
    assert _figure("education.smokefree_places").compute(path, None, None).value == 1
    assert _figure("education.smokefree_pass_rate").compute(path, today, today).value == Decimal("100.0")
    assert _figure("education.smokefree_pass_rate").compute(path, None, last_month).value is None
    source = next(s for s in registry.evidence_providers() if s.key == "education.board_updates")
    records = list(source.records(EvidenceQuery(jurisdiction_path=path)))
    assert len(records) == 1
    assert len(source.files([r.object_id for r in records])[records[0].object_id]) == 1
    checks = next(s for s in registry.evidence_providers() if s.key == "education.smokefree_checks")
    assert len(list(checks.records(EvidenceQuery(jurisdiction_path=path)))) == 1
