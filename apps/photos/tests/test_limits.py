"""Issue 9: hostile photos are refused from the header, before any pixel is decoded."""

import io
import time
import tracemalloc

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from apps.photos import pending
from apps.photos.forms import PhotosField
from apps.photos.services import PhotoRefused, check_upload, process_upload, process_uploads

from .images import animated, huge_png_bytes, upload_of


@pytest.fixture(scope="module")
def png_169mp() -> bytes:
    return huge_png_bytes(13_000, 13_000, rgb=False)  # 169 megapixels in ~190 KB


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decode fails the test."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("a refused photo must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(Image.Image, "load", refuse)


def _jpeg(size=(40, 30), **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG", **save)
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_169_megapixel_png_is_refused_before_decoding_fast_and_small(png_169mp, no_decoding):
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(PhotoRefused) as refused:
        process_upload(upload_of(png_169mp))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Pillow's own guard (set to the same limit) fires while the header is read.
    assert str(refused.value.message) == "照片像素过多（169 百万像素），最多 40 百万像素。"
    assert elapsed < 1.0  # it took 13 s and 1.4 GB before
    assert peak < 20 * 1024 * 1024


def test_our_header_check_refuses_without_pillows_guard(png_169mp, no_decoding, settings, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(PhotoRefused) as refused:
        check_upload(upload_of(png_169mp))
    assert str(refused.value.message) == "照片尺寸过大（13000 × 13000 像素），每边最多 10000 像素。"
    settings.PHOTO_MAX_DIMENSION = 20_000  # each side allowed: the pixel count still is not
    with pytest.raises(PhotoRefused) as refused:
        check_upload(upload_of(png_169mp))
    assert str(refused.value.message) == "照片像素过多（169 百万像素），最多 40 百万像素。"


def test_a_side_over_the_limit_is_refused_however_few_pixels(no_decoding):
    strip = huge_png_bytes(12_000, 10, rgb=False)  # 0.12 megapixels, but 12,000 px wide
    with pytest.raises(PhotoRefused) as refused:
        check_upload(upload_of(strip))
    assert str(refused.value.message) == "照片尺寸过大（12000 × 10 像素），每边最多 10000 像素。"


def test_limits_are_configurable_and_pillows_guard_follows_them(settings):
    from apps.photos.services import apply_pixel_limit

    assert Image.MAX_IMAGE_PIXELS == settings.PHOTO_MAX_PIXELS == 40_000_000
    settings.PHOTO_MAX_PIXELS = 1000
    with pytest.raises(PhotoRefused, match=r"最多 0\.001 百万像素"):
        process_upload(_jpeg((40, 30)))  # 1,200 pixels
    settings.PHOTO_MAX_DIMENSION = 39
    with pytest.raises(PhotoRefused, match="每边最多 39 像素"):
        process_upload(_jpeg((40, 30)))
    try:
        apply_pixel_limit()
        assert Image.MAX_IMAGE_PIXELS == 1000
    finally:
        settings.PHOTO_MAX_PIXELS = 40_000_000
        apply_pixel_limit()


def test_pillows_bomb_warning_is_a_refusal_too(monkeypatch):
    """A second fence: should Pillow call an image a bomb, it is refused, never decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(PhotoRefused):
        process_upload(_jpeg((40, 30)))


@pytest.mark.parametrize("format_", ["PNG", "WEBP"])
def test_animations_are_refused(format_, request):
    data = animated(format_)
    request.getfixturevalue("no_decoding")
    with pytest.raises(PhotoRefused, match="不能上传动图"):
        check_upload(upload_of(data))


def test_a_gif_is_not_a_photo():
    with pytest.raises(PhotoRefused, match="只能上传照片"):
        process_upload(upload_of(animated("GIF")))


def test_exif_orientation_is_still_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° to show upright
    processed = process_upload(_jpeg((400, 200), exif=exif.tobytes()))
    with Image.open(processed.image) as image:
        assert image.size == (200, 400)


def test_large_jpegs_are_decoded_at_a_reduced_scale():
    """A 4,000 × 3,000 photo decodes through JPEG draft mode at half size, enough for 1,920 px."""
    seen = []
    real = ImageFile.ImageFile.load
    photo = _jpeg((4000, 3000))

    def spy(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        seen.append(self.size)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ImageFile.ImageFile, "load", spy)
        processed = process_upload(photo)
    assert (2000, 1500) in seen and (4000, 3000) not in seen  # then the stored copies: 1920 px and less
    with Image.open(processed.image) as image:
        assert max(image.size) == 1920


def test_at_most_six_photos_per_submission(settings):
    with pytest.raises(PhotoRefused) as refused:
        process_uploads([_jpeg() for _ in range(7)])
    assert str(refused.value.message) == "一次最多上传 6 张照片（本次 7 张）。"
    assert len(process_uploads([_jpeg() for _ in range(6)])) == 6
    settings.PHOTO_MAX_PER_REQUEST = 2
    assert pending.max_kept() == 2
    with pytest.raises(PhotoRefused):
        process_uploads([_jpeg() for _ in range(3)])


def test_the_form_field_counts_and_checks_headers(png_169mp, request):
    field = PhotosField(required=False)
    seven, two = [_jpeg() for _ in range(7)], [_jpeg(), _jpeg()]
    request.getfixturevalue("no_decoding")  # the field reads headers only
    with pytest.raises(forms.ValidationError) as too_many:
        field.clean(seven)
    assert too_many.value.messages == ["一次最多上传 6 张照片（本次 7 张）。"]
    with pytest.raises(forms.ValidationError) as too_big:
        field.clean([upload_of(png_169mp)])
    assert too_big.value.messages == ["照片像素过多（169 百万像素），最多 40 百万像素。"]
    assert len(field.clean(two)) == 2


def test_a_huge_photo_is_never_kept_for_a_returned_form(png_169mp, no_decoding, settings, tmp_path):
    """(The form's own header check and `keep_uploads` use the same service check.)"""
    settings.MEDIA_ROOT = tmp_path
    assert pending.keep_uploads([upload_of(png_169mp)], owner="1") == []


def test_the_messages_read_in_english(png_169mp):
    from django.utils import translation

    with translation.override("en"), pytest.raises(PhotoRefused) as refused:
        check_upload(upload_of(png_169mp))
    assert str(refused.value.message) == "The photo has too many pixels (169 megapixels): at most 40 megapixels."
