"""Activities: the record with its materials and photos saved as one, the workflow (held once the
day has come, cancelled with a reason), owner-level changes, attendance never below the phone
sign-ins, and the public sign-in page (one per phone, only on the day, bots and floods refused)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.core.public import form_stamp
from apps.education.models import ActivitySignIn, EducationActivity, MaterialLine
from apps.education.selectors import activities as selectors
from apps.education.services import activities as services

pytestmark = pytest.mark.django_db


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _lecture(org, actor=None, day=None, **extra):
    return services.activity_create(
        actor=actor or org.community,
        jurisdiction=extra.pop("jurisdiction", org.comm_a1),
        kind="lecture",
        topic="高血压防治讲座",
        held_on=day or timezone.localdate(),
        **extra,
    )


def test_create_with_materials_and_photo_then_hold(org):
    activity = _lecture(
        org,
        attendance=60,
        materials=[
            {"title": "健康读本", "quantity": 400, "unit": "册"},
            {"title": "", "quantity": None},
            {"title": "控烟折页", "quantity": "30", "unit": "张"},
        ],
        photos=[jpeg()],
    )
    assert [str(m) for m in activity.materials.all()] == ["健康读本 400册", "控烟折页 30张"]
    assert activity.photos.count() == 1 and activity.status == "planned"
    activity = services.activity_transition(actor=org.community, activity=activity, name="hold")
    assert activity.status == "held"
    actions = list(AuditEvent.objects.filter(object_id=str(activity.pk)).values_list("action", flat=True))
    assert "education.educationactivity.created" in actions and "education.educationactivity.hold" in actions
    totals = selectors.year_totals(user=org.street, node=org.street_a, year=activity.held_on.year)
    assert (totals["held"], totals["attendance"], totals["copies"]) == (1, 60, 430)
    assert totals["materials"][0] == {"title": "健康读本", "unit": "册", "quantity": 400}


def test_bad_material_saves_nothing(org):
    with pytest.raises(DomainError):
        _lecture(org, materials=[{"title": "读本", "quantity": 5}, {"title": "折页", "quantity": 0}])
    assert not EducationActivity.objects.exists() and not MaterialLine.objects.exists()


def test_future_lecture_cannot_be_held_and_cancel_needs_reason(org):
    activity = _lecture(org, day=timezone.localdate() + timedelta(days=3))
    assert [t.name for t in services.EDU_WORKFLOW.available(activity, org.community)] == ["cancel"]
    with pytest.raises(DomainError):
        services.activity_transition(actor=org.community, activity=activity, name="hold")
    with pytest.raises(DomainError):
        services.activity_transition(actor=org.community, activity=activity, name="cancel", reason="  ")
    activity = services.activity_transition(actor=org.community, activity=activity, name="cancel", reason="下雨")
    assert (activity.status, activity.cancel_reason) == ("cancelled", "下雨")
    with pytest.raises(DomainError):
        services.activity_update(
            actor=org.community, activity=activity, expected_version=activity.version, changes={"topic": "x"}
        )


def test_grid_adds_but_changing_stays_with_the_owner(org):
    # The grid worker records a lecture and marks it held; correcting it is the community's.
    mine = _lecture(org, actor=org.grid, jurisdiction=org.grid_a1)
    assert not services.may_edit(org.grid, mine) and services.may_edit(org.community, mine)
    with pytest.raises(PermissionDeniedForRole):
        services.activity_update(actor=org.grid, activity=mine, expected_version=mine.version, changes={})
    assert services.activity_transition(actor=org.grid, activity=mine, name="hold").status == "held"
    theirs = _lecture(org)
    with pytest.raises(PermissionDeniedForRole):
        services.activity_update(actor=org.grid, activity=theirs, expected_version=theirs.version, changes={})
    street = _lecture(org, actor=org.street, jurisdiction=org.street_a)
    assert not services.may_edit(org.community, street)
    with pytest.raises(DomainError):
        services.activity_update(actor=org.community, activity=street, expected_version=street.version, changes={})


def test_stale_version_refused(org):
    activity = _lecture(org)
    services.activity_update(actor=org.community, activity=activity, expected_version=1, changes={"place": "A"})
    with pytest.raises(ConcurrentEdit):
        services.activity_update(actor=org.community, activity=activity, expected_version=1, changes={"place": "B"})


def test_signin_counts_and_attendance_never_below(org):
    activity = _lecture(org, attendance=1)
    services.signin_record(activity=activity, device="a")
    services.signin_record(activity=activity, device="b")
    with pytest.raises(services.AlreadySignedIn):
        services.signin_record(activity=activity, device="a")
    activity.refresh_from_db()
    assert (activity.signed_in, activity.attendance) == (2, 2)  # attendance raised to the sign-ins
    with pytest.raises(DomainError):
        services.activity_update(
            actor=org.community, activity=activity, expected_version=activity.version, changes={"attendance": 1}
        )
    other_day = _lecture(org, day=timezone.localdate() - timedelta(days=1))
    with pytest.raises(services.SignInClosed):
        services.signin_record(activity=other_day, device="a")


def _form(**extra):
    data = {
        "kind": "lecture",
        "topic": "合理膳食讲座",
        "held_on": timezone.localdate().isoformat(),
        "place": "社区活动室",
        "speaker": "王医生",
        "audience": "residents",
        "attendance": "35",
        "mat-TOTAL_FORMS": "2",
        "mat-INITIAL_FORMS": "0",
        "mat-0-title": "健康读本",
        "mat-0-quantity": "35",
        "mat-0-unit": "册",
    }
    data.update(extra)
    return data


def test_form_records_and_refuses_bad_quantity(client, org):
    client.force_login(org.community)
    bad = client.post(
        reverse("education:activity_create"),
        _form(jurisdiction=org.comm_a1.pk, **{"mat-1-title": "折页", "mat-1-quantity": "-2"}),
    )
    assert bad.status_code == 400 and "数量至少为 1。" in bad.content.decode()
    assert not EducationActivity.objects.exists()
    ok = client.post(reverse("education:activity_create"), _form(jurisdiction=org.comm_a1.pk, photos=jpeg()))
    assert ok.status_code == 302
    activity = EducationActivity.objects.get()
    assert (activity.attendance, activity.photos.count(), activity.materials.get().quantity) == (35, 1, 35)
    page = client.get(reverse("education:activity_detail", args=[activity.pk])).content.decode()
    assert 'data-testid="signin-qr"' in page and "<svg" in page and 'data-testid="activity-step-hold"' in page


def test_public_signin_page(client, org, settings):
    settings.EDUCATION_SIGNINS_PER_HOUR = 4
    activity = _lecture(org)
    url = reverse("education:signin", args=[activity.signin_token])
    page = client.get(url)
    assert page.status_code == 200 and "高血压防治讲座" in page.content.decode()
    scope = f"education-signin:{activity.pk}"
    done = client.post(url, {"stamp": form_stamp(scope)})
    assert 'data-testid="signin-done"' in done.content.decode()
    again = client.post(url, {"stamp": form_stamp(scope)})
    assert 'data-testid="signin-duplicate"' in again.content.decode()
    bot = client.post(url, {"stamp": form_stamp(scope), "website": "http://spam"})
    assert bot.status_code == 400
    assert client.post(url, {"stamp": "forged"}).status_code == 400
    activity.refresh_from_db()
    assert activity.signed_in == 1 and ActivitySignIn.objects.count() == 1
    client.cookies.clear()  # a new phone, but the same address: the 5th attempt this hour is refused
    assert client.post(url, {"stamp": form_stamp(scope)}).status_code == 429


def test_signin_closed_for_cancelled_or_other_day(client, org):
    tomorrow = _lecture(org, day=timezone.localdate() + timedelta(days=1))
    body = client.get(reverse("education:signin", args=[tomorrow.signin_token])).content.decode()
    assert 'data-testid="signin-closed"' in body and 'data-testid="signin-button"' not in body
    assert client.get(reverse("education:signin", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_a_year_no_date_can_hold_is_a_400_on_the_list_and_the_api(client, org):
    client.force_login(org.community)
    for url in (reverse("education:activity_list"), "/api/v1/education-activities/"):
        for year in ("0", "99999"):
            assert client.get(url, {"year": year}).status_code == 400, (url, year)
        assert client.get(url, {"year": "2026"}).status_code == 200
