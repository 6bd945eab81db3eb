"""Issue 9 (uploads) through the case services, pages, API and Open311: hostile photos are
refused before decoding, at most six per submission, decoded before the transaction opens,
and a resident's photos count against the public report limit."""

import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from apps.cases import services
from apps.cases.models import Case, CasePhoto
from apps.organization.models import Jurisdiction
from apps.photos import services as photo_services
from apps.photos.tests.images import huge_png_bytes, upload_of

from .conftest import jpeg

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]],
}


@pytest.fixture(scope="module")
def png_169mp() -> bytes:
    return huge_png_bytes(13_000, 13_000, rgb=False)


@pytest.fixture
def place(org):
    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(boundary=SQUARE)
    cache.clear()
    yield org
    cache.clear()


def public_data(cats, **extra):
    return {"category": cats["graffiti"].pk, "lat": "31.465", "lng": "104.685", "description": "小广告", **extra}


def stored_files(settings) -> int:
    return sum(1 for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) if settings.MEDIA_ROOT.exists() else 0


# Services -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_photos_are_decoded_before_the_transaction_opens(org, cats, monkeypatch):
    """Decoding costs seconds of CPU: no row may be locked meanwhile."""
    seen = []
    real = photo_services.process_upload

    def watched(upload):
        seen.append(connection.in_atomic_block)
        return real(upload)

    monkeypatch.setattr(photo_services, "process_upload", watched)
    case = services.case_report(
        actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg(), jpeg()]
    )
    services.case_add_photos(actor=org.community, case=case, photos=[jpeg()])
    assert seen == [False, False, False]
    assert case.photos.count() == 3


@pytest.mark.django_db(transaction=True)
def test_nothing_is_left_when_the_write_fails_after_the_files_were_stored(org, cats, settings, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit_record", broken)  # after the photos are stored
    with pytest.raises(RuntimeError):
        services.case_report(actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[jpeg()])
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert stored_files(settings) == 0


def test_a_169_megapixel_photo_is_refused_by_the_service_before_any_row(org, cats, png_169mp):
    started = time.perf_counter()
    with pytest.raises(photo_services.PhotoRefused):
        services.case_report(
            actor=org.grid, category=cats["clutter"], jurisdiction=org.grid_a1, photos=[upload_of(png_169mp)]
        )
    assert time.perf_counter() - started < 1.0
    assert not Case.objects.exists()


# Pages --------------------------------------------------------------------------------------


def test_public_report_refuses_a_169_megapixel_png_with_a_message(client, place, cats, png_169mp):
    client.get(reverse("public:public_report"))  # warm up (templates, URLs) before timing
    started = time.perf_counter()
    response = client.post(reverse("public:public_report"), public_data(cats, photos=[upload_of(png_169mp)]))
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 400
    assert "照片像素过多（169 百万像素），最多 40 百万像素。" in response.content.decode()
    assert not Case.objects.exists()


def test_public_report_refuses_seven_photos_and_shows_the_limit(client, place, cats, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 100
    response = client.post(reverse("public:public_report"), public_data(cats, photos=[jpeg() for _ in range(7)]))
    assert response.status_code == 400
    assert "一次最多上传 6 张照片（本次 7 张）。" in response.content.decode()
    assert not Case.objects.exists()


def test_a_hundred_files_never_reach_the_view(client, place, cats, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 1000
    tiny = [SimpleUploadedFile(f"{i}.jpg", b"x", content_type="image/jpeg") for i in range(100)]
    response = client.post(reverse("public:public_report"), public_data(cats, photos=tiny))
    assert response.status_code == 400
    html = response.content.decode()
    assert "一次上传的文件过多：每次最多 6 张照片，请减少后重试。" in html and "<html" in html
    assert not Case.objects.exists()


def test_each_photo_counts_against_the_public_report_limit(client, place, cats, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 5
    first = client.post(reverse("public:public_report"), public_data(cats, photos=[jpeg(), jpeg(), jpeg()]))
    assert first.status_code == 302  # 1 report + 3 photos = 4 of 5
    second = client.post(reverse("public:public_report"), public_data(cats, photos=[jpeg()]))
    assert second.status_code == 400 and "提交过于频繁" in second.content.decode()
    assert Case.objects.count() == 1


def test_the_field_report_page_shows_the_photo_limit(client, org, cats, png_169mp):
    client.force_login(org.grid)
    data = {"category": cats["clutter"].pk, "description": "乱堆放", "jurisdiction": org.grid_a1.pk}
    response = client.post(reverse("cases:case_report"), {**data, "photos": [upload_of(png_169mp)]})
    assert response.status_code == 400
    assert "照片像素过多" in response.content.decode()
    assert not Case.objects.exists()


# API and Open311 ----------------------------------------------------------------------------


def test_api_refuses_seven_photos_and_a_huge_one(client, org, cats, png_169mp):
    client.force_login(org.grid)
    data = {"category": cats["clutter"].pk, "description": "乱堆放", "jurisdiction": org.grid_a1.pk}
    response = client.post("/api/v1/cases/", {**data, "photos": [jpeg() for _ in range(7)]})
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["一次最多上传 6 张照片（本次 7 张）。"]
    response = client.post("/api/v1/cases/", {**data, "photos": [upload_of(png_169mp)]})
    assert response.status_code == 400 and "169 百万像素" in response.json()["errors"]["photos"][0]
    assert not Case.objects.exists()


def test_api_and_open311_answer_a_hundred_files_with_a_json_400(client, org, cats):
    tiny = [SimpleUploadedFile(f"{i}.jpg", b"x", content_type="image/jpeg") for i in range(100)]
    client.force_login(org.grid)
    response = client.post("/api/v1/cases/", {"category": cats["clutter"].pk, "photos": tiny})
    assert response.status_code == 400
    message = "一次上传的文件过多：每次最多 6 张照片，请减少后重试。"
    assert response.json() == {"detail": message, "code": "too_many_files"}
    client.logout()
    response = client.post("/api/open311/v2/requests.json", {"service_code": "exposed_garbage", "media": tiny})
    # Open311 answers in its own GeoReport error list, even for what Django refuses before the view.
    assert response.status_code == 400 and response.json() == [{"code": 400, "description": message}]
    assert not Case.objects.exists()
