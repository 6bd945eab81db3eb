"""The case API under /api/v1/cases/: scope, filters, every workflow step, photos, versions, schema."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.cases import services
from apps.cases.choices import CaseSource, CaseStatus, PhotoStage
from apps.cases.models import Case, CaseEvent, CasePhoto, Category
from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.core.testing import assert_access
from apps.organization.models import Jurisdiction
from tests.builders import make_user

from .conftest import jpeg

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def detail(case) -> str:
    return f"/api/v1/cases/{case.pk}/"


def step(case, action: str) -> str:
    return f"/api/v1/cases/{case.pk}/{action}/"


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def report(org, cats, *, actor=None, jurisdiction=None, category="exposed_garbage", **kwargs):
    defaults = {"description": "楼下垃圾堆积", "address": "人民路1号", "photos": [jpeg()]}
    defaults.update(kwargs)
    return services.case_report(
        actor=actor or org.grid, category=cats[category], jurisdiction=jurisdiction or org.grid_a1, **defaults
    )


def case_in(org, cats, state: str, *, unit=None, **kwargs) -> Case:
    """A case of street A (幸福网格) brought to `state` through the services."""
    case = report(org, cats, **kwargs)
    if state == "reported":
        return case
    case = services.case_register(actor=org.community, case=case)
    if state == "registered":
        return case
    case = services.case_dispatch(actor=org.community, case=case, unit=unit or org.unit_a1)
    if state == "dispatched":
        return case
    case = services.case_handle(actor=org.unit_contact, case=case, note="已清运", photos=[jpeg()])
    if state == "handled":
        return case
    assert state == "closed"
    return services.case_verify(actor=org.inspector, case=case, passed=True)


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# Access: every endpoint ------------------------------------------------------------------------
#
# Every role may view cases (POLICY "cases.case"), so reads have no 403 case: a role check
# cannot fail there, only the scope (404). Writes check the role of the workflow step first.


def test_access_list_and_detail(client, org, cats):
    case = case_in(org, cats, "reported")
    response = assert_access(client, LIST, allowed=org.grid, api=True)
    assert [row["code"] for row in response.json()["results"]] == [case.code]
    response = assert_access(client, detail(case), allowed=org.community, other=org.community_b, api=True)
    assert response.json()["code"] == case.code


def test_access_create(client, org, cats):
    data = {
        "category": cats["exposed_garbage"].pk,
        "source": CaseSource.HOTLINE,
        "jurisdiction": org.comm_a1.pk,
        "description": "12345 来电：垃圾未清运",
    }
    # Unit contacts may not report (no "add" on cases): 403. There is no "other" for a create.
    response = assert_access(
        client,
        LIST,
        allowed=org.community,
        forbidden=org.unit_contact,
        method="post",
        data=data,
        ok_status=(201,),
        api=True,
    )
    assert Case.objects.get(pk=response.json()["id"]).source == CaseSource.HOTLINE


@pytest.mark.parametrize(
    ("state", "action", "allowed", "other", "forbidden", "data", "after"),
    [
        ("reported", "register", "community", "community_b", "leader", {}, CaseStatus.REGISTERED),
        ("reported", "reject", "street", "street_other", "grid", {"reason": "非本辖区问题"}, CaseStatus.REJECTED),
        ("registered", "dispatch", "community", "community_b", "inspector", {"unit": "unit_a1"}, CaseStatus.DISPATCHED),
        ("dispatched", "handle", "unit_contact", "community_b", "leader", {"note": "已清理"}, CaseStatus.HANDLED),
        (
            "dispatched",
            "dispute",
            "unit_contact",
            "community_b",
            "inspector",
            {"reason": "不归我方"},
            CaseStatus.RETURNED,
        ),
        ("handled", "verify", "inspector", "community_b", "grid", {"passed": True}, CaseStatus.CLOSED),
        (
            "registered",
            "suspend",
            "street",
            "street_other",
            "inspector",
            {"plan": "道路改造时处理", "review_on": "2099-01-01"},
            CaseStatus.SUSPENDED,
        ),
        ("reported", "void", "community", "community_b", "grid", {"reason": "重复上报"}, CaseStatus.VOIDED),
    ],
)
def test_access_workflow_steps(client, org, cats, state, action, allowed, other, forbidden, data, after):
    case = case_in(org, cats, state)
    if action == "handle":
        # JSON carries no photo; this category then must not require one (multipart is tested below).
        Category.objects.filter(pk=case.category_id).update(photo_required=False)
    payload = {**data, "version": case.version}
    if "unit" in payload:
        payload["unit"] = getattr(org, payload["unit"]).pk
    response = assert_access(
        client,
        step(case, action),
        allowed=getattr(org, allowed),
        other=getattr(org, other),
        forbidden=getattr(org, forbidden),
        method="post",
        data=payload,
        api=True,
    )
    case.refresh_from_db()
    assert case.status == after
    assert response.json()["status"] == after and response.json()["version"] == case.version
    assert case.events.last().action.startswith(action)


def test_access_photos(client, org, cats):
    case = case_in(org, cats, "dispatched")
    response = assert_access(client, step(case, "photos"), allowed=org.unit_contact, other=org.community_b, api=True)
    assert [p["stage"] for p in response.json()] == [PhotoStage.BEFORE]
    # POST: the leader sees the case but is neither a dispatcher nor the assignee -> 403.
    # A JSON body cannot carry a file, so the allowed call ends at validation (400: photos
    # required); the upload itself is proven in test_add_photos below.
    response = assert_access(
        client,
        step(case, "photos"),
        allowed=org.community,
        other=org.community_b,
        forbidden=org.leader,
        method="post",
        data={"note": "补拍"},
        ok_status=(400,),
        api=True,
    )
    assert "photos" in response.json()["errors"]
    assert case.photos.count() == 1


# Reads -----------------------------------------------------------------------------------------


def test_list_is_scoped_to_the_jurisdiction(client, org, cats):
    a1 = report(org, cats)
    a2 = report(org, cats, actor=org.community_other, jurisdiction=org.comm_a2)
    b1 = report(org, cats, actor=org.community_b, jurisdiction=org.comm_b1)
    client.force_login(org.street)
    assert codes(client.get(LIST)) == {a1.code, a2.code}
    client.force_login(org.community_b)
    assert codes(client.get(LIST)) == {b1.code}
    client.force_login(org.office)
    assert codes(client.get(LIST)) == {a1.code, a2.code, b1.code}
    assert client.get(detail(b1)).status_code == 200
    client.force_login(org.community)
    assert client.get(detail(a2)).status_code == 404


def test_list_filters_like_the_page(client, org, cats):
    reported = report(org, cats, description="井边有污水")
    dispatched = case_in(org, cats, "dispatched", category="graffiti", address="和平街小广告")
    overdue = case_in(org, cats, "dispatched")
    Case.objects.filter(pk=overdue.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    closed = case_in(org, cats, "closed")
    hotline = report(
        org,
        cats,
        actor=org.community_other,
        jurisdiction=org.comm_a2,
        source=CaseSource.HOTLINE,
        photos=[],
        address="西街",
    )
    client.force_login(org.street)
    assert codes(client.get(LIST, {"status": "open"})) == {reported.code, dispatched.code, overdue.code, hotline.code}
    assert codes(client.get(LIST, {"status": "overdue"})) == {overdue.code}
    assert codes(client.get(LIST, {"status": "closed"})) == {closed.code}
    assert codes(client.get(LIST, {"status": "reported"})) == {reported.code, hotline.code}
    cityscape = Category.objects.get(code="cityscape")  # a 大类 includes its 小类
    assert codes(client.get(LIST, {"category": cityscape.pk})) == {dispatched.code}
    assert codes(client.get(LIST, {"source": "hotline"})) == {hotline.code}
    assert codes(client.get(LIST, {"jurisdiction": org.comm_a2.pk})) == {hotline.code}
    outside = client.get(LIST, {"jurisdiction": org.comm_b1.pk})  # outside the scope: an unknown value
    assert outside.status_code == 400
    assert outside.json()["errors"] == {"jurisdiction": ["「辖区」的值无效：未知的值"]}
    assert codes(client.get(LIST, {"q": "污水"})) == {reported.code}
    assert codes(client.get(LIST, {"q": "小广告"})) == {dispatched.code}
    assert codes(client.get(LIST, {"q": closed.code})) == {closed.code}
    assert codes(client.get(LIST, {"unit": org.unit_a1.pk, "status": "dispatched"})) == {dispatched.code, overdue.code}
    row = next(r for r in client.get(LIST, {"status": "overdue"}).json()["results"])
    assert row["deadline_state"] == "overdue" and row["assignee_unit_name"] == "幸福物业"
    assert row["category_group"] == "环境卫生" and row["status_label"] == "处置中"


def test_unit_contact_sees_only_cases_dispatched_to_its_unit(client, org, cats):
    ours = case_in(org, cats, "dispatched", reporter_name="李大妈", reporter_phone="13900000009")
    theirs = case_in(org, cats, "dispatched", unit=org.unit_a1b)
    undispatched = case_in(org, cats, "registered")
    client.force_login(org.unit_contact)
    assert codes(client.get(LIST)) == {ours.code}
    assert client.get(detail(theirs)).status_code == 404
    assert client.get(detail(undispatched)).status_code == 404
    assert client.get(step(theirs, "photos")).status_code == 404
    body = client.get(detail(ours)).json()
    # The complained-about unit never learns who complained.
    assert body["reporter_name"] is None and body["reporter_phone"] is None
    assert "13900000009" not in client.get(detail(ours)).content.decode()
    assert body["allowed_actions"] == ["handle", "dispute"]
    # Staff of the street do see the reporter, masked (the full number is an audited 显示).
    client.force_login(org.street)
    assert client.get(detail(ours)).json()["reporter_phone"] == "139****0009"
    # A contact of another unit can act on nothing of ours.
    other_contact = make_user("t_unit2", Role.UNIT_CONTACT, unit=org.unit_a1b)
    client.force_login(other_contact)
    assert codes(client.get(LIST)) == {theirs.code}
    response = post_json(client, step(ours, "dispute"), {"reason": "x", "version": ours.version})
    assert response.status_code == 404


def test_detail_has_timeline_photos_and_allowed_actions(client, org, cats):
    case = case_in(org, cats, "handled")
    client.force_login(org.inspector)
    body = client.get(detail(case)).json()
    assert [e["action"] for e in body["events"]] == ["report", "register", "dispatch", "handle"]
    handle = body["events"][-1]
    assert handle["action_label"] == "处置反馈" and handle["to_status"] == "handled" and handle["note"] == "已清运"
    assert handle["actor_name"] == org.unit_contact.display_name
    assert [p["stage"] for p in body["photos"]] == ["before", "after"]
    after = body["photos"][1]
    assert after["id"] in handle["photos"]
    photo = CasePhoto.objects.get(pk=after["id"])
    # Through the scoped photo view (media files are never served publicly).
    assert after["image"].endswith(photo.image_url) and after["thumbnail"].endswith(photo.thumbnail_url)
    assert after["image"].startswith("http://testserver/")
    assert client.get(after["thumbnail"]).status_code == 200
    assert {"taken_at", "stage_label"} <= after.keys()
    assert body["allowed_actions"] == ["verify"]
    client.force_login(org.grid)
    assert client.get(detail(case)).json()["allowed_actions"] == []


# 上报 -------------------------------------------------------------------------------------------


def test_report_by_json_and_by_multipart_with_photos(client, org, cats):
    client.force_login(org.grid)
    payload = {"category": cats["exposed_garbage"].pk, "description": "垃圾堆积", "address": "人民路3号"}
    response = post_json(client, LIST, payload)
    assert response.status_code == 400 and "必须拍照" in response.json()["detail"]
    assert not Case.objects.exists()

    response = client.post(LIST, {**payload, "photos": [jpeg(), jpeg(color=(0, 0, 200))]})
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.reporter == org.grid and case.jurisdiction == org.grid_a1 and case.source == CaseSource.PATROL
    assert case.status == CaseStatus.REPORTED and case.address == "人民路3号"
    assert list(case.photos.values_list("stage", flat=True)) == ["before", "before"]
    assert response.json()["code"] == case.code and len(response.json()["photos"]) == 2
    assert AuditEvent.objects.filter(action="cases.case.reported", object_id=str(case.pk)).exists()

    client.force_login(org.community)
    response = post_json(
        client,
        LIST,
        {
            "category": cats["graffiti"].pk,
            "source": "hotline",
            "jurisdiction": org.comm_a1.pk,
            "hotline_ticket": "12345-778",
            "reporter_phone": "13700000000",
        },
    )
    assert response.status_code == 201, response.json()
    hotline = Case.objects.get(pk=response.json()["id"])
    assert hotline.source == CaseSource.HOTLINE and hotline.answer_due_at is not None
    assert hotline.hotline_ticket == "12345-778" and hotline.reporter_phone == "13700000000"


def test_report_at_a_gps_point_is_placed_by_the_boundaries(client, org, cats):
    square = [[104.67, 31.46], [104.70, 31.46], [104.70, 31.48], [104.67, 31.48], [104.67, 31.46]]
    Jurisdiction.objects.filter(pk=org.estate_a1.pk).update(boundary={"type": "Polygon", "coordinates": [square]})
    client.force_login(org.community)
    payload = {"category": cats["graffiti"].pk, "lat": "31.46712345678", "lng": "104.68345678901", "photos": [jpeg()]}
    response = client.post(LIST, payload)
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.jurisdiction == org.estate_a1  # the deepest boundary containing the point
    assert case.lat == Decimal("31.467123") and case.lng == Decimal("104.683457")
    assert response.json()["lat"] == "31.467123"


def test_report_is_refused_outside_the_scope_and_for_a_major_category(client, org, cats):
    client.force_login(org.community)
    base = {"category": cats["graffiti"].pk, "source": "hotline"}
    response = post_json(client, LIST, {**base, "jurisdiction": org.comm_b1.pk})
    assert response.status_code == 400 and "jurisdiction" in response.json()["errors"]
    response = post_json(client, LIST, {**base, "category": Category.objects.get(code="cityscape").pk})
    assert response.status_code == 400 and "category" in response.json()["errors"]
    response = post_json(client, LIST, {**base, "lat": "31.467"})
    assert response.status_code == 400
    assert not Case.objects.exists()


# Workflow steps ---------------------------------------------------------------------------------


def test_whole_loop_through_the_api(client, org, cats):
    case = report(org, cats)
    client.force_login(org.community)
    body = post_json(client, step(case, "register"), {"version": case.version, "note": "属实"}).json()
    assert body["status"] == "registered" and body["version"] == 2
    deadline = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = post_json(
        client,
        step(case, "dispatch"),
        {"version": 2, "unit": org.unit_a1.pk, "deadline_at": deadline.isoformat(), "note": "请今日清运"},
    )
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.assignee_unit == org.unit_a1 and case.deadline_at == deadline

    client.force_login(org.unit_contact)
    response = client.post(step(case, "handle"), {"version": case.version, "note": "已清运", "photos": [jpeg()]})
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.HANDLED and case.handled_on_time
    assert case.photos.filter(stage=PhotoStage.AFTER).count() == 1

    client.force_login(org.inspector)
    response = post_json(client, step(case, "verify"), {"version": case.version, "passed": False})
    assert response.status_code == 400 and "说明原因" in response.json()["detail"]
    response = client.post(
        step(case, "verify"), {"version": case.version, "passed": "false", "note": "仍有残留", "photos": [jpeg()]}
    )
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.rework_count == 1
    assert case.photos.filter(stage=PhotoStage.CHECK).count() == 1

    client.force_login(org.unit_contact)
    client.post(step(case, "handle"), {"version": case.version, "note": "彻底清理", "photos": [jpeg()]})
    client.force_login(org.inspector)
    response = post_json(client, step(case, "verify"), {"version": case.version + 1, "passed": True, "note": "合格"})
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert list(case.events.values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "handle",
        "verify_fail",
        "handle",
        "verify_pass",
    ]


def test_stale_version_answers_409_and_changes_nothing(client, org, cats):
    case = report(org, cats)
    read_version = case.version
    client.force_login(org.community)
    assert post_json(client, step(case, "register"), {"version": read_version}).status_code == 200
    client.force_login(org.street)
    response = post_json(client, step(case, "reject"), {"version": read_version, "reason": "重复"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "已被他人修改" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.version == read_version + 1
    assert not CaseEvent.objects.filter(case=case, action="reject").exists()


def test_steps_need_a_version_and_valid_input(client, org, cats):
    case = case_in(org, cats, "registered")
    client.force_login(org.community)
    response = post_json(client, step(case, "suspend"), {"plan": "计划", "review_on": "2099-01-01"})
    assert response.status_code == 400 and "version" in response.json()["errors"]
    response = post_json(
        client, step(case, "suspend"), {"version": case.version, "plan": "计划", "review_on": "2000-01-01"}
    )
    assert response.status_code == 400 and "复查日期" in response.json()["detail"]
    response = post_json(client, step(case, "dispatch"), {"version": case.version})
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    response = post_json(client, step(case, "dispatch"), {"version": case.version, "unit": org.unit_b1.pk})
    assert response.status_code == 400 and "unit" in response.json()["errors"]  # a unit outside the scope
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    response = post_json(
        client, step(case, "dispatch"), {"version": case.version, "unit": org.unit_a1.pk, "deadline_at": past}
    )
    assert response.status_code == 400 and "处置时限" in response.json()["detail"]
    # A step the table does not allow from this status.
    response = post_json(client, step(case, "register"), {"version": case.version})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    # Multipart reads a missing checkbox as false; a verdict must still be explicit.
    response = client.post(step(case, "verify"), {"version": case.version})
    assert response.status_code == 400 and "passed" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.version == 2


def test_dispatch_to_staff_then_dispute_suspend_and_void(client, org, cats):
    case = case_in(org, cats, "registered")
    staff_user = make_user("t_grid_staff", Role.GRID, org.grid_a1)
    org.staff_a1.account = staff_user
    org.staff_a1.save(update_fields=["account"])
    client.force_login(org.community)
    response = post_json(client, step(case, "dispatch"), {"version": case.version, "staff": org.staff_a1.pk})
    assert response.status_code == 200 and response.json()["assignee_staff_name"] == "李网格"
    version = response.json()["version"]
    # The grid worker who is not the assignee may not dispute; the assignee may.
    client.force_login(org.grid)
    response = post_json(client, step(case, "dispute"), {"version": version, "reason": "不归我"})
    assert response.status_code == 403
    client.force_login(staff_user)
    response = post_json(client, step(case, "dispute"), {"version": version, "reason": "不在我的网格"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    client.force_login(org.street)
    response = post_json(
        client,
        step(case, "suspend"),
        {"version": response.json()["version"], "plan": "待改造", "review_on": "2099-06-30"},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert (
        case.status == CaseStatus.SUSPENDED and case.suspension_plan == "待改造" and str(case.review_on) == "2099-06-30"
    )
    response = post_json(client, step(case, "void"), {"version": case.version, "reason": ""})
    assert response.status_code == 400
    response = post_json(client, step(case, "void"), {"version": case.version, "reason": "已移交区城管"})
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == CaseStatus.VOIDED


def test_token_authentication(client, org, cats):
    case = report(org, cats)
    _token, key = api_token_issue(actor=None, owner=org.community, name="test")
    response = client.post(
        step(case, "register"),
        {"version": case.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).events.last().actor == org.community
    response = client.get(LIST, HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401


# Photos ------------------------------------------------------------------------------------------


def test_add_photos(client, org, cats):
    case = case_in(org, cats, "dispatched")
    client.force_login(org.unit_contact)
    response = client.post(step(case, "photos"), {"photos": [jpeg(), jpeg(color=(1, 2, 3))], "note": "整改中"})
    assert response.status_code == 201, response.json()
    assert [p["stage"] for p in response.json()] == ["after", "after"]  # the assignee documents the fix
    event = CaseEvent.objects.get(case=case, action="photo")
    assert event.note == "整改中" and event.actor == org.unit_contact and event.photos.count() == 2
    assert AuditEvent.objects.filter(action="cases.case.photo_added", object_id=str(case.pk)).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.version == 3  # a photo is not a status change

    client.force_login(org.community)
    # The stage follows the role: a dispatcher documents the problem, and may not file a "check".
    response = client.post(step(case, "photos"), {"photos": [jpeg()], "stage": "check"})
    assert response.status_code == 400
    response = client.post(step(case, "photos"), {"photos": [jpeg()]})
    assert response.status_code == 201 and response.json()[0]["stage"] == "before"
    response = client.get(step(case, "photos"))
    assert [p["stage"] for p in response.json()] == ["before", "after", "after", "before"]

    # Not an image: refused, nothing kept.
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(step(case, "photos"), {"photos": [bad]})
    # Refused by the serializer's header check (a field error), before the service runs.
    assert response.status_code == 400 and "只能上传照片" in response.json()["errors"]["photos"][0]
    assert case.photos.count() == 4 and CaseEvent.objects.filter(case=case, action="photo").count() == 2

    # A grid worker who finds the same problem again adds a photo to the open case (as on the
    # report page); a leader only looks.
    client.force_login(org.grid)
    assert client.post(step(case, "photos"), {"photos": [jpeg()]}).status_code == 201
    client.force_login(org.leader)
    assert client.get(step(case, "photos")).status_code == 200
    assert client.post(step(case, "photos"), {"photos": [jpeg()]}).status_code == 403


def test_no_photos_on_a_closed_case(client, org, cats):
    case = case_in(org, cats, "closed")
    client.force_login(org.community)
    response = client.post(step(case, "photos"), {"photos": [jpeg()]})
    assert response.status_code == 400 and "已办结" in response.json()["detail"]
    assert not CaseEvent.objects.filter(case=case, action="photo").exists()


# Schema --------------------------------------------------------------------------------------------


def test_schema_lists_the_case_api(client, org):
    client.force_login(org.street)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for action in ("register", "reject", "dispatch", "handle", "dispute", "verify", "suspend", "void", "photos"):
        assert f"/api/v1/cases/{{id}}/{action}/" in paths
    assert "/api/open311/v2/requests.json" in paths
    # The project root page of /api/v1/ still lists the organisation endpoints.
    assert "units" in client.get("/api/v1/").json()


def test_schema_of_the_case_api_has_no_warnings():
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/", include("apps.cases.api.urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned about the case API"
    validate_schema(schema)
    assert "/api/v1/cases/{id}/verify/" in schema["paths"]


def test_users_without_jurisdiction_see_nothing(client, org, cats):
    report(org, cats)
    loose = User.objects.create_user("t_loose", password="x", role=Role.LEADER)
    client.force_login(loose)
    assert codes(client.get(LIST)) == set()


def test_report_answer_is_built_from_what_was_written(client, org, cats, django_assert_max_num_queries):
    """Issue 14: intake does only what it must — one place query, one recurrence query, the
    insert (+ its code), one timeline and one audit write — and the 201 answer is the same
    detail a later GET returns, without reading the case back."""
    square = [[104.67, 31.46], [104.70, 31.46], [104.70, 31.48], [104.67, 31.48], [104.67, 31.46]]
    Jurisdiction.objects.filter(pk=org.estate_a1.pk).update(boundary={"type": "Polygon", "coordinates": [square]})
    assert Jurisdiction.objects.get(pk=org.estate_a1.pk).bbox_south == 31.46  # kept by update()
    _token, key = api_token_issue(actor=None, owner=org.community, name="intake")
    payload = {"category": cats["graffiti"].pk, "lat": "31.47", "lng": "104.68", "photos": [jpeg()]}
    # token+user, category, place, recurrence, insert, its rollup log row, code, event, photo,
    # audit (+ the test's savepoint pair)
    warm_up = {**payload, "photos": [jpeg()]}  # the token's last_used_at, the content type cache
    assert client.post(LIST, warm_up, HTTP_AUTHORIZATION=f"Token {key}").status_code == 201
    with django_assert_max_num_queries(12):
        response = client.post(LIST, payload, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["jurisdiction"] == org.estate_a1.pk
    assert [e["action"] for e in created["events"]] == ["report"] and len(created["photos"]) == 1
    assert created["events"][0]["photos"] == [created["photos"][0]["id"]]
    fetched = client.get(f"{LIST}{created['id']}/", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert created == fetched
