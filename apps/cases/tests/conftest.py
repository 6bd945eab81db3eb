import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.cases.categories import ensure_categories
from apps.cases.models import Category
from apps.worktime.holidays import ensure_calendar


def jpeg(name="photo.jpg", size=(1200, 900), color=(200, 60, 60), exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def cats(db):
    ensure_categories()
    ensure_calendar()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
