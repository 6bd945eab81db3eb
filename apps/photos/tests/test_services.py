"""The one photo service: only real images under the limit, resized, EXIF time and place read."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.core.exceptions import DomainError
from apps.photos.services import process_upload
from apps.photos.views import photo_response


def _jpeg(size=(4000, 3000), exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 60)).save(buffer, "JPEG", **({"exif": exif} if exif is not None else {}))
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_resized_with_thumbnail_and_exif_time_and_place():
    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 08:15:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 28.0, 12.0), 3: "E", 4: (104.0, 41.0, 0.0)})
    processed = process_upload(_jpeg(exif=exif.tobytes()))
    with Image.open(processed.image) as image:
        assert max(image.size) == 1920
    with Image.open(processed.thumbnail) as thumb:
        assert max(thumb.size) == 360
    assert timezone.localtime(processed.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 08:15"
    assert (str(processed.lat), str(processed.lng)) == ("31.47", "104.683333")


def test_refuses_what_is_not_a_photo_and_what_is_too_large(settings):
    with pytest.raises(DomainError):
        process_upload(SimpleUploadedFile("x.jpg", b"not an image"))
    settings.PHOTO_MAX_BYTES = 10
    with pytest.raises(DomainError):
        process_upload(_jpeg(size=(10, 10)))


def test_photo_response_serves_the_thumbnail_or_the_image():
    class Field:
        def __init__(self, data):
            self.data = data

        def open(self, mode):
            return io.BytesIO(self.data)

    class Stored:
        image, thumbnail = Field(b"full"), Field(b"thumb")

    assert b"".join(photo_response(Stored(), "thumb").streaming_content) == b"thumb"
    assert b"".join(photo_response(Stored(), "full").streaming_content) == b"full"
