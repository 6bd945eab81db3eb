"""Issue 9 on a phone: a grid worker adds a far too large photo to a field report and is told
why, at once; then takes an ordinary photo and the report goes through."""

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from apps.accounts.models import User
from apps.cases.models import Case
from apps.organization.models import Jurisdiction
from apps.photos.tests.images import huge_png_bytes

from .conftest import PHONE, SHOTS, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

LOOK_AT = Path("/tmp/shots")  # noqa: S108 - a copy for reviewers, next to the usual artifacts


def test_a_too_large_photo_is_refused_with_the_limit(new_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    grid_user = User.objects.get(username="grid")
    grid = Jurisdiction.objects.get(pk=grid_user.jurisdiction_id)
    huge = tmp_path / "panorama.png"
    huge.write_bytes(huge_png_bytes(13_000, 13_000, rgb=False))  # 169 megapixels in ~190 KB
    ordinary = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (120, 150, 60)).save(buffer, "JPEG")
    ordinary.write_bytes(buffer.getvalue())

    here = {"latitude": float(grid.center_lat), "longitude": float(grid.center_lng)}
    phone = new_page(viewport=PHONE, geolocation=here, permissions=["geolocation"])
    login(phone, "grid")
    phone.goto("/cases/report/")
    phone.get_by_test_id("photos").set_input_files(str(huge))
    phone.select_option("#id_category", label="暴露垃圾")
    phone.click("[data-locate]")
    phone.wait_for_function("document.querySelector('[name=lat]').value !== ''")
    phone.fill("#id_description", "垃圾桶旁堆放生活垃圾")
    started = time.monotonic()
    phone.click("button[type=submit]")
    error = phone.locator(".form-row .errorlist").first
    error.wait_for()
    assert time.monotonic() - started < 5
    assert error.inner_text() == "照片像素过多（169 百万像素），最多 40 百万像素。"
    assert not Case.objects.filter(reporter=grid_user).exists()
    assert phone.get_by_test_id("kept-photos").count() == 0  # nothing kept of a refused photo
    assert phone.input_value("#id_description") == "垃圾桶旁堆放生活垃圾"
    assert_no_horizontal_overflow(phone)
    shot(phone, "uploads-photo-too-large")
    LOOK_AT.mkdir(parents=True, exist_ok=True)
    (LOOK_AT / "uploads-photo-too-large.png").write_bytes((SHOTS / "uploads-photo-too-large.png").read_bytes())

    # An ordinary photo instead: the report goes through.
    phone.get_by_test_id("photos").set_input_files(str(ordinary))
    phone.click("button[type=submit]")
    phone.wait_for_url("**/cases/*/")
    assert Case.objects.get(reporter=grid_user).photos.count() == 1
