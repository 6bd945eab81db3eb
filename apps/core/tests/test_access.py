"""Every page and API endpoint: anonymous -> login, wrong role -> 403, other jurisdiction -> 404."""

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.core.testing import assert_access
from apps.imports.models import DataJob, JobKind, JobStatus
from apps.organization import services
from apps.organization.models import GroupMember, License

pytestmark = pytest.mark.django_db

# name, kwargs(o), allowed, other (404), forbidden (403), method
VIEWS = [
    ("core:home", None, "community", None, None, "get"),
    ("core:audit_list", None, "community", None, "grid", "get"),
    ("organization:jurisdiction_list", None, "grid", None, "unit_contact", "get"),
    ("organization:jurisdiction_create", None, "street", None, "community", "get"),
    (
        "organization:jurisdiction_detail",
        lambda o: [o.comm_a1.pk],
        "community",
        "community_other",
        "unit_contact",
        "get",
    ),
    ("organization:jurisdiction_update", lambda o: [o.comm_a1.pk], "street", "street_other", "community", "get"),
    ("organization:jurisdiction_move", lambda o: [o.comm_a1.pk], "street", "street_other", "leader", "get"),
    ("organization:unit_list", None, "grid", None, None, "get"),
    ("organization:unit_create", None, "community", None, "leader", "get"),
    ("organization:unit_detail", lambda o: [o.unit_a1.pk], "unit_contact", "community_other", None, "get"),
    ("organization:unit_update", lambda o: [o.unit_a1.pk], "community", "community_other", "leader", "get"),
    ("organization:license_add", lambda o: [o.unit_a1.pk], "community", "community_other", "leader", "post"),
    (
        "organization:license_remove",
        lambda o: [o.unit_a1.pk, o.license.pk],
        "community",
        "community_other",
        "leader",
        "post",
    ),
    ("organization:staff_list", None, "leader", None, "unit_contact", "get"),
    ("organization:staff_create", None, "community", None, "grid", "get"),
    ("organization:staff_detail", lambda o: [o.staff_a1.pk], "grid", "community_other", "unit_contact", "get"),
    ("organization:staff_update", lambda o: [o.staff_a1.pk], "community", "community_other", "inspector", "get"),
    ("organization:group_list", None, "inspector", None, "unit_contact", "get"),
    ("organization:group_create", None, "community", None, "leader", "get"),
    ("organization:group_detail", lambda o: [o.group_a1.pk], "community", "community_b", "unit_contact", "get"),
    ("organization:group_update", lambda o: [o.group_a1.pk], "community", "community_b", "leader", "get"),
    ("organization:group_member_add", lambda o: [o.group_a1.pk], "community", "community_b", "leader", "post"),
    (
        "organization:group_member_remove",
        lambda o: [o.group_a1.pk, o.member.pk],
        "community",
        "community_b",
        "leader",
        "post",
    ),
    ("organization:zone_list", None, "unit_contact", None, None, "get"),
    ("organization:zone_create", None, "community", None, "grid", "get"),
    ("organization:zone_detail", lambda o: [o.zone_a1.pk], "unit_contact", "community_b", None, "get"),
    ("organization:zone_update", lambda o: [o.zone_a1.pk], "community", "community_b", "leader", "get"),
    ("organization:zone_reassign", lambda o: [o.zone_a1.pk], "community", "community_b", "inspector", "get"),
    # Reference lists are global (no jurisdiction): only the role check applies.
    ("organization:reference_list", None, "street", None, "community", "get"),
    ("organization:unit_type_create", None, "admin", None, "street", "get"),
    ("organization:unit_type_update", lambda o: [o.unit_a1.unit_type_id], "admin", None, "office", "get"),
    ("organization:level_create", None, "admin", None, "office", "get"),
    ("organization:level_update", lambda o: [o.city.level_id], "admin", None, "street", "get"),
    ("cases:case_list", None, "grid", None, None, "get"),
    ("cases:case_report", None, "grid", None, "unit_contact", "get"),
    ("cases:hotline_create", None, "community", None, "grid", "get"),
    ("cases:case_map", None, "grid", None, None, "get"),
    ("cases:case_map_data", None, "grid", None, None, "get"),
    ("cases:briefing", None, "community", None, None, "get"),
    ("cases:statistics", None, "leader", None, None, "get"),
    ("notifications:list", None, "grid", None, None, "get"),
    ("worktime:calendar", None, "community", None, "grid", "get"),
    ("cases:category_list", None, "grid", None, None, "get"),
    ("cases:category_create", None, "admin", None, "office", "get"),
    ("cases:category_update", lambda o: [o.case.category_id], "admin", None, "street", "get"),
    ("cases:case_detail", lambda o: [o.case.pk], "unit_contact", "community_other", None, "get"),
    ("cases:case_notice", lambda o: [o.case.pk], "unit_contact", "community_other", None, "get"),
    ("cases:case_supervision_notice", lambda o: [o.case.pk], "community", "community_other", None, "get"),
    ("cases:case_photo", lambda o: [o.case.photos.first().pk, "thumb"], "unit_contact", "community_other", None, "get"),
    ("cases:case_action", lambda o: [o.case.pk, "photo"], "community", "community_other", None, "post"),
    ("accounts:password_change", None, "grid", None, None, "get"),
    ("accounts:user_list", None, "street", None, "community", "get"),
    ("accounts:user_create", None, "street", None, "community", "get"),
    ("accounts:user_update", lambda o: [o.community.pk], "street", "street_other", "community", "get"),
    ("imports:job_list", None, "grid", None, None, "get"),
    ("imports:import_start", lambda o: ["units"], "community", None, "leader", "get"),
    ("imports:import_template", lambda o: ["units"], "community", None, "leader", "get"),
    ("imports:job_detail", lambda o: [o.job.pk], "community", "community_other", None, "get"),
    ("imports:job_download", lambda o: [o.job.pk], "community", "community_other", None, "get"),
    ("inspections:inspection_list", None, "unit_contact", None, "grid", "get"),
    ("inspections:inspection_create", None, "inspector", None, "grid", "get"),
    ("inspections:inspection_detail", lambda o: [o.sheet.pk], "unit_contact", "community_other", "grid", "get"),
    ("inspections:inspection_fill", lambda o: [o.draft.pk], "inspector", "street_other", "unit_contact", "get"),
    (
        "inspections:inspection_item_save",
        lambda o: [o.draft.pk, o.item.pk],
        "inspector",
        "street_other",
        "unit_contact",
        "post",
    ),
    (
        "inspections:inspection_photo_upload",
        lambda o: [o.draft.pk, o.item.pk],
        "inspector",
        "street_other",
        "unit_contact",
        "post",
    ),
    ("inspections:inspection_submit", lambda o: [o.draft.pk], "inspector", "street_other", "unit_contact", "post"),
    (
        "inspections:inspection_correct",
        lambda o: [o.sheet.pk, o.item.pk],
        "street",
        "street_other",
        "grid",
        "get",
    ),
    ("inspections:finding_case", lambda o: [o.sheet.pk, o.result.pk], "inspector", "street_other", "grid", "post"),
    ("inspections:appeal_create", lambda o: [o.sheet.pk, o.result.pk], "unit_contact", None, "community", "get"),
    ("inspections:photo", lambda o: [o.sheet_photo.pk, "thumb"], "unit_contact", "community_other", "grid", "get"),
    ("inspections:photo_delete", lambda o: [o.draft_photo.pk], "inspector", "street_other", "unit_contact", "post"),
    ("inspections:appeal_list", None, "unit_contact", None, "grid", "get"),
    ("inspections:appeal_detail", lambda o: [o.appeal.pk], "unit_contact", "community_other", "grid", "get"),
    # Checklists are shared reference data (no jurisdiction): only the role check applies.
    ("inspections:template_list", None, "inspector", None, "unit_contact", "get"),
    ("inspections:template_create", None, "office", None, "street", "get"),
    ("inspections:template_detail", lambda o: [o.template.pk], "street", None, "unit_contact", "get"),
    ("inspections:template_update", lambda o: [o.template.pk], "office", None, "street", "get"),
    ("inspections:section_add", lambda o: [o.template.pk], "office", None, "street", "post"),
    ("inspections:item_create", lambda o: [o.template.pk], "office", None, "street", "get"),
    ("inspections:item_update", lambda o: [o.template.pk, o.item.pk], "office", None, "street", "get"),
    ("inspections:item_delete", lambda o: [o.template.pk, o.item.pk], "office", None, "street", "post"),
    ("inspections:plan_list", None, "inspector", None, "unit_contact", "get"),
    ("inspections:plan_create", None, "street", None, "community", "get"),
    ("inspections:plan_detail", lambda o: [o.plan.pk], "inspector", "street_other", "unit_contact", "get"),
    ("inspections:plan_update", lambda o: [o.plan.pk], "street", "street_other", "community", "get"),
    ("inspections:round_open", lambda o: [o.plan.pk], "street", "street_other", "community", "get"),
    ("inspections:round_detail", lambda o: [o.round.pk], "inspector", "street_other", "unit_contact", "get"),
    ("inspections:ranking", None, "leader", None, None, "get"),
    ("inspections:ranking_publish", None, "street", None, "community", "post"),
    ("inspections:scheme_edit", None, "street", None, "community", "get"),
    ("inspections:flag_history", None, "unit_contact", None, None, "get"),
    ("inspections:published_detail", lambda o: [o.published.pk], "unit_contact", "street_other", None, "get"),
    ("inspections:published_docx", lambda o: [o.published.pk], "unit_contact", "street_other", None, "get"),
    ("inspections:wall", None, "unit_contact", None, None, "get"),
]
# POST views that answer JSON instead of redirecting.
JSON_POSTS = {"inspections:inspection_item_save", "inspections:inspection_photo_upload", "inspections:photo_delete"}
# Public or session plumbing: no scope to check.
NOT_SCOPED = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "api_schema",
    # Residents' pages: no login by design; they show only the public status of one tracking code.
    "public:public_report",
    "public:public_track",
    "public:public_track_code",
}

API = [
    ("jurisdiction-list", None, "grid", None, "unit_contact"),
    ("jurisdiction-detail", lambda o: [o.comm_a1.pk], "community", "community_other", "unit_contact"),
    ("unit-list", None, "grid", None, None),
    ("unit-detail", lambda o: [o.unit_a1.pk], "unit_contact", "community_other", None),
    ("staff-list", None, "leader", None, "unit_contact"),
    ("staff-detail", lambda o: [o.staff_a1.pk], "grid", "community_other", "unit_contact"),
    ("zone-list", None, "unit_contact", None, None),
    ("zone-detail", lambda o: [o.zone_a1.pk], "unit_contact", "community_b", None),
    ("auditevent-list", None, "community", None, "grid"),
    ("auditevent-detail", lambda o: [o.audit_event.pk], "community", "community_b", "grid"),
    ("inspection-list", None, "unit_contact", None, "grid"),
    ("inspection-detail", lambda o: [o.sheet.pk], "unit_contact", "community_other", "grid"),
    ("publishedranking-list", None, "grid", None, None),
    ("publishedranking-detail", lambda o: [o.published.pk], "unit_contact", "street_other", None),
]


@pytest.fixture
def world(request, org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    org.license = services.license_add(actor=None, unit=org.unit_a1, kind="营业执照", number="123", expires_on=None)
    org.member = services.group_member_add(actor=None, group=org.group_a1, staff=org.staff_a1, position="member")
    from django.core.files.base import ContentFile

    org.job = DataJob.objects.create(
        kind=JobKind.EXPORT, source="units", created_by=org.community, status=JobStatus.SUCCEEDED
    )
    org.job.output_file.save("units.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    from apps.core.models import AuditEvent

    org.audit_event = AuditEvent.objects.filter(object_id=str(org.unit_a1.pk), action="organization.unit.created").get()
    org.case = _dispatched_case(org)
    name = getattr(getattr(request.node, "callspec", None), "params", {}).get("name", "")
    if "inspection" in name or "ranking" in name:  # only those routes need the inspection records
        from apps.inspections.tests.factories import build_inspections

        build_inspections(org)
    return org


def _dispatched_case(org):
    from datetime import timedelta

    from django.utils import timezone

    from apps.cases import services as case_services
    from apps.cases.categories import ensure_categories
    from apps.cases.models import Case, Category
    from apps.cases.tests.conftest import jpeg

    ensure_categories()
    case = case_services.case_report(
        actor=org.grid,
        category=Category.objects.get(code="exposed_garbage"),
        jurisdiction=org.grid_a1,
        photos=[jpeg()],
        address="人民路1号",
    )
    case = case_services.case_register(actor=org.community, case=case)
    case = case_services.case_dispatch(actor=org.community, case=case, unit=org.unit_a1)
    Case.objects.filter(pk=case.pk).update(escalation_level=2, deadline_at=timezone.now() - timedelta(hours=30))
    case.refresh_from_db()
    return case


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if str(pattern.pattern).startswith("api/"):
                continue  # API endpoints have their own matrices (test_api_access, apps/cases/tests/test_api.py)
            yield from _named_urls(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_page_is_in_the_access_matrix():
    listed = {name for name, *_ in VIEWS} | NOT_SCOPED
    missing = set(_named_urls()) - listed
    assert not missing, f"add these views to the access matrix: {sorted(missing)}"


@pytest.mark.parametrize(("name", "args", "allowed", "other", "forbidden", "method"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_access(client, world, name, args, allowed, other, forbidden, method):
    url = reverse(name, args=args(world) if args else None)
    data = {}
    if name == "organization:license_add":
        data = {"kind": "卫生许可证", "number": "W-1", "expires_on": "2027-01-01"}
    if name == "cases:case_action":
        from apps.cases.tests.conftest import jpeg

        data = {"note": "补充照片", "photos": jpeg()}
    if name == "organization:group_member_add":
        data = {"staff": world.staff_a1.pk + 0, "position": "member", "duty": ""}
    if name == "inspections:inspection_item_save":
        data = {"occurrences": "1", "note": "x", "stamp": "5"}
    if name == "inspections:inspection_photo_upload":
        from apps.cases.tests.conftest import jpeg

        class Rewinding(io.BytesIO):  # sent by each of the four requests
            name = "photo.jpg"

            def read(self, *args):
                self.seek(0)
                return super().read(*args)

        data = {"photo": Rewinding(jpeg().read()), "key": "k"}
    if name == "inspections:section_add":
        data = {"name": "二、台账"}
    assert_access(
        client,
        url,
        allowed=getattr(world, allowed),
        other=getattr(world, other) if other else None,
        forbidden=getattr(world, forbidden) if forbidden else None,
        method=method,
        data=data,
        ok_status=(302,) if method == "post" and name not in JSON_POSTS else (200,),
    )


@pytest.mark.parametrize(("name", "args", "allowed", "other", "forbidden"), API, ids=[a[0] for a in API])
def test_api_access(client, world, name, args, allowed, other, forbidden):
    url = reverse(name, args=args(world) if args else None)
    assert_access(
        client,
        url,
        allowed=getattr(world, allowed),
        other=getattr(world, other) if other else None,
        forbidden=getattr(world, forbidden) if forbidden else None,
        api=True,
    )


def test_every_api_route_is_in_the_matrix():
    from config.urls import router

    names = {f"{basename}-{suffix}" for _prefix, _viewset, basename in router.registry for suffix in ("list", "detail")}
    assert names == {name for name, *_ in API}


def test_license_add_really_adds_only_for_allowed(client, world):
    client.force_login(world.community)
    client.post(
        reverse("organization:license_add", args=[world.unit_a1.pk]),
        {"kind": "卫生许可证", "number": "W-9", "expires_on": "2027-01-01"},
    )
    assert License.objects.filter(unit=world.unit_a1, number="W-9").exists()
    client.force_login(world.community_other)
    client.post(
        reverse("organization:license_add", args=[world.unit_a1.pk]),
        {"kind": "卫生许可证", "number": "W-10", "expires_on": "2027-01-01"},
    )
    assert not License.objects.filter(number="W-10").exists()


def test_member_remove_by_other_jurisdiction_changes_nothing(client, world):
    client.force_login(world.community_b)
    response = client.post(reverse("organization:group_member_remove", args=[world.group_a1.pk, world.member.pk]))
    assert response.status_code == 404
    assert GroupMember.objects.filter(pk=world.member.pk).exists()
