"""Regressions found in review: who sees reporters, sources, rework clocks, answers, merges, bad input."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.cases import services
from apps.cases.choices import CaseSource, EscalationLevel
from apps.cases.models import Case, CasePhoto
from apps.core.exceptions import DomainError, PermissionDeniedForRole

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def dispatched(org, cats, **kwargs):
    defaults = {"actor": org.grid, "category": cats["clutter"], "jurisdiction": org.grid_a1, "photos": [jpeg()]}
    defaults.update(kwargs)
    case = services.case_report(**defaults)
    return services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=case), unit=org.unit_a1
    )


def test_unit_contact_does_not_see_who_complained(client, org, cats):
    case = dispatched(
        org,
        cats,
        actor=org.community,
        source=CaseSource.HOTLINE,
        photos=[],
        reporter_name="李大妈",
        reporter_phone="13911112222",
        jurisdiction=org.comm_a1,
    )
    client.force_login(org.unit_contact)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "李大妈" not in html and "13911112222" not in html
    client.force_login(org.community)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "李*妈" in html and "139****2222" in html  # masked, with a 显示 (apps/core/personal.py)


def test_sources_follow_the_role(org, cats):
    with pytest.raises(PermissionDeniedForRole):
        services.case_report(
            actor=org.grid, category=cats["clutter"], source=CaseSource.RESIDENT, jurisdiction=org.grid_a1
        )
    with pytest.raises(PermissionDeniedForRole):
        services.case_report(
            actor=org.grid, category=cats["clutter"], source=CaseSource.HOTLINE, jurisdiction=org.grid_a1
        )
    case = services.case_report(
        actor=org.leader, category=cats["clutter"], source=CaseSource.LEADER, jurisdiction=org.comm_a1
    )
    assert case.source == CaseSource.LEADER


def test_rework_starts_a_new_clock_and_ladder(org, cats):
    case = dispatched(org, cats)
    services.cases_escalate(now=case.deadline_at + timedelta(days=10))
    case.refresh_from_db()
    assert case.escalation_level == EscalationLevel.LISTED
    case = services.case_handle(actor=org.unit_contact, case=case, note="改了", photos=[jpeg()])
    case = services.case_verify(actor=org.inspector, case=case, passed=False, note="没改好")
    assert case.escalation_level == EscalationLevel.NOTICE and case.deadline_state() == "ok"
    assert services.cases_escalate(now=case.deadline_at + timedelta(minutes=1))["reminded"] == 1


def test_a_hotline_answer_is_not_overwritten(org, cats):
    case = services.case_report(
        actor=org.community, category=cats["clutter"], source=CaseSource.HOTLINE, jurisdiction=org.comm_a1
    )
    case = services.case_hotline_answer(actor=org.community, case=case, answer="已处理")
    first = case.answered_at
    with pytest.raises(DomainError):
        services.case_hotline_answer(actor=org.street, case=case, answer="再答")
    case.refresh_from_db()
    assert case.answered_at == first


def test_merged_photos_move_to_the_target_case(client, org, cats):
    target = dispatched(org, cats)
    duplicate = services.case_report(
        actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()]
    )
    photo = duplicate.photos.get()
    services.case_merge(actor=org.community, case=duplicate, into=target)
    photo.refresh_from_db()
    assert photo.case_id == target.pk
    client.force_login(org.unit_contact)  # the target's unit sees the merged evidence
    assert client.get(photo.thumbnail_url).status_code == 200


def test_public_report_is_rate_limited(client, org, cats, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 4  # a report with one photo counts twice (issue 9)
    cache.clear()
    from apps.organization.models import Jurisdiction

    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(
        boundary={
            "type": "Polygon",
            "coordinates": [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]],
        }
    )
    data = {"category": cats["graffiti"].pk, "lat": "31.465", "lng": "104.685", "description": "x"}
    statuses = [
        client.post(reverse("public:public_report"), {**data, "photos": [jpeg()]}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 400]
    assert Case.objects.count() == 2
    cache.clear()


def test_photo_files_are_not_written_when_any_upload_is_bad(org, cats, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("b.jpg", b"nope", content_type="image/jpeg")
    before = sum(1 for _ in settings.MEDIA_ROOT.rglob("*.jpg")) if settings.MEDIA_ROOT.exists() else 0
    with pytest.raises(DomainError):
        services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg(), bad])
    after = sum(1 for _ in settings.MEDIA_ROOT.rglob("*.jpg")) if settings.MEDIA_ROOT.exists() else 0
    assert after == before and not CasePhoto.objects.exists()
