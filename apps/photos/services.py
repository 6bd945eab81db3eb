"""Checking, resizing and thumbnailing uploaded photos; reading EXIF capture time and place.

The one place an uploaded photo is looked at, for every app. Hostile uploads are refused as
cheaply as possible, in this order:

1. `check_count`: at most PHOTO_MAX_PER_REQUEST photos in one form, API call or kept set;
2. `check_upload`: bytes (PHOTO_MAX_BYTES), then the header only (Pillow's `Image.open` reads
   the format, size and frame count without decoding a pixel): the format, each side
   (PHOTO_MAX_DIMENSION), the pixel count (PHOTO_MAX_PIXELS) and animations are refused here,
   so a 13,000 × 13,000 single-colour PNG of 0.5 MB costs a header read, not 1.4 GB;
3. `process_upload`: the decode itself (JPEGs in draft mode, at the smallest scale that still
   gives the stored size), with Pillow's own decompression-bomb guard as a second fence.

Decoding takes seconds of CPU, so it must never happen while a database transaction holds
locks: services that store photos are wrapped in `photos_prepared`, which processes every
upload *before* the service's transaction opens and removes the stored files again if the
write then fails.
"""

import functools
import logging
import math
import re
import warnings
from datetime import datetime
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from apps.core.exceptions import DomainError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
# A camera's MPO file carries the photo plus a few small extra images (depth, stereo); more
# frames than this is not a photo. Only the first frame is ever decoded.
MPO_MAX_FRAMES = 4


class PhotoRefused(DomainError):
    """An upload that is not a photo we take (type, bytes, pixels, sides, frames, count)."""


class ProcessedPhoto:
    """A decoded, resized photo ready to be stored (no database work has been done yet)."""

    def __init__(self, image: ContentFile, thumbnail: ContentFile, taken_at, lat, lng):
        self.image, self.thumbnail, self.taken_at, self.lat, self.lng = image, thumbnail, taken_at, lat, lng
        self.stored: list = []  # the (storage, name) pairs written by save_photo, for clean-up


def apply_pixel_limit() -> None:
    """Pillow's own decompression-bomb guard, set from the same setting: a warning above
    PHOTO_MAX_PIXELS (made an error in `process_upload`), an error at twice that anywhere."""
    Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS


def _not_a_photo() -> PhotoRefused:
    return PhotoRefused(_("只能上传照片（JPEG、PNG 或 WebP 格式）。"))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _pixel_message(pixels: int | None) -> str:
    limit = _megapixels(settings.PHOTO_MAX_PIXELS)
    if pixels is None:
        return _("照片像素过多，最多 {limit} 百万像素。").format(limit=limit)
    return _("照片像素过多（{mp} 百万像素），最多 {limit} 百万像素。").format(mp=_megapixels(pixels), limit=limit)


def _too_many_pixels(bomb: Exception) -> PhotoRefused:
    """Pillow's own guard fired while reading the header (its message gives the pixel count)."""
    found = re.search(r"\((\d+) pixels\)", str(bomb))
    return PhotoRefused(_pixel_message(int(found.group(1)) if found else None))


def check_count(count: int) -> None:
    """At most PHOTO_MAX_PER_REQUEST photos in one submission (form, API call, kept photos)."""
    limit = settings.PHOTO_MAX_PER_REQUEST
    if count > limit:
        raise PhotoRefused(_("一次最多上传 {n} 张照片（本次 {count} 张）。").format(n=limit, count=count))


def _check_header(image: Image.Image) -> None:
    """Format, sides, pixel count and frames, from what `Image.open` read: no pixel decoded."""
    if image.format not in ALLOWED_FORMATS:
        raise _not_a_photo()
    width, height = image.size
    side = settings.PHOTO_MAX_DIMENSION
    if width > side or height > side:
        raise PhotoRefused(
            _("照片尺寸过大（{width} × {height} 像素），每边最多 {side} 像素。").format(
                width=width, height=height, side=side
            )
        )
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise PhotoRefused(_pixel_message(width * height))
    frames = getattr(image, "n_frames", 1)
    if (image.format == "MPO" and frames > MPO_MAX_FRAMES) or (image.format != "MPO" and frames > 1):
        raise PhotoRefused(_("不能上传动图，请上传照片。"))


def _open(upload) -> Image.Image:
    """`Image.open` (header only); anything Pillow cannot read, or calls a bomb, is refused."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(upload)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as bomb:
        raise _too_many_pixels(bomb) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_a_photo() from None


def check_upload(upload) -> None:
    """Refuse, from the byte size and the header alone, anything we would not decode.

    Cheap enough for a form field's `clean()`; leaves the file at its start."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise PhotoRefused(_("照片过大（最大 {mb} MB）。").format(mb=settings.PHOTO_MAX_BYTES // (1024 * 1024)))
    try:
        with _open(upload) as image:
            _check_header(image)
    finally:
        upload.seek(0)


def _gps_to_decimal(values, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(v) for v in values)
    except (TypeError, ValueError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W"):
        value = -value
    return Decimal(str(round(value, 6)))


def _exif(image: Image.Image):
    exif = image.getexif()
    taken_at = lat = lng = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if raw:
        try:
            taken_at = timezone.make_aware(datetime.strptime(str(raw), "%Y:%m:%d %H:%M:%S"))  # noqa: DTZ007 - camera local time
        except ValueError:
            taken_at = None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps and 2 in gps and 4 in gps:
        lat, lng = _gps_to_decimal(gps[2], gps.get(1)), _gps_to_decimal(gps[4], gps.get(3))
    return taken_at, lat, lng


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """`size` shrunk to fit a `side` × `side` box (aspect kept), as the stored image will be."""
    width, height = size
    ratio = min(1.0, side / max(width, height, 1))
    return max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio))


def _jpeg(image: Image.Image, side: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = BytesIO()
    copy.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def save_photo(photo, processed: ProcessedPhoto):
    """Store the resized image, its thumbnail and the capture time and place on `photo` (any
    `apps.photos.models.Photo`) and save it. `processed` comes from `process_upload`, run
    before the caller's transaction (see `photos_prepared`)."""
    photo.taken_at = processed.taken_at
    photo.taken_lat, photo.taken_lng = processed.lat, processed.lng
    processed.image.seek(0)
    processed.thumbnail.seek(0)
    photo.image.save("photo.jpg", processed.image, save=False)
    processed.stored.append((photo.image.storage, photo.image.name))
    photo.thumbnail.save("thumb.jpg", processed.thumbnail, save=False)
    processed.stored.append((photo.thumbnail.storage, photo.thumbnail.name))
    photo.save()
    return photo


def process_upload(upload) -> ProcessedPhoto:
    """Refuse anything but a real photo within the limits (bytes, header: sides, pixels,
    frames); decode it once, apply the EXIF orientation, return resized JPEGs and EXIF facts.

    Call it outside any database transaction (`photos_prepared` does, for services)."""
    if isinstance(upload, ProcessedPhoto):
        return upload
    check_upload(upload)
    max_side = settings.PHOTO_MAX_SIDE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open(upload)
            _check_header(image)  # again, on the very object that is decoded
            taken_at, lat, lng = _exif(image)
            # JPEG: let the decoder scale down by 1/2, 1/4 or 1/8 while decoding, to no less
            # than the stored size (a 12-megapixel photo then decodes to ~3 MP).
            image.draft("RGB", _fitted(image.size, max_side))
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as bomb:
        raise _too_many_pixels(bomb) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_a_photo() from None
    # Shrink in place first, then turn upright: no second full-size copy is ever made.
    image.thumbnail((max_side, max_side))
    upright = ImageOps.exif_transpose(image)
    return ProcessedPhoto(_jpeg(upright, max_side), _jpeg(upright, settings.PHOTO_THUMB_SIDE), taken_at, lat, lng)


def process_uploads(uploads) -> list[ProcessedPhoto]:
    """Every upload of one submission, counted, checked and decoded (all or none)."""
    uploads = [u for u in (uploads or []) if u]
    check_count(len(uploads))
    return [process_upload(upload) for upload in uploads]


def discard_stored(processed_all) -> None:
    """Remove the files `save_photo` wrote for these photos (their rows were rolled back)."""
    for processed in processed_all:
        for storage, name in processed.stored:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("could not remove photo file %s after a failed write", name)
        processed.stored.clear()


def photos_prepared(argument: str = "photos"):
    """Decorator for a service that stores photos given as keyword `argument` (a list of
    uploads, or one upload).

    Put it *outside* `@transaction.atomic`: the uploads are counted, checked and decoded
    first, with no transaction open and no row locked, and the service receives the
    `ProcessedPhoto`s. If the service then fails, the files it already stored are removed, so
    nothing is left half-saved. (When the caller holds an outer transaction that is rolled
    back later, the files stay; no caller of these services does.)
    """

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            given = kwargs.get(argument)
            if given is None or isinstance(given, (list, tuple)):
                processed = process_uploads(given)
                kwargs[argument] = processed
            else:  # one upload (e.g. a sheet item's photo)
                processed = [process_upload(given)]
                kwargs[argument] = processed[0]
            try:
                return service(*args, **kwargs)
            except BaseException:
                discard_stored(processed)
                raise

        return wrapper

    return decorate
