"""Checking, resizing and thumbnailing uploaded photos; reading EXIF capture time and place."""

from datetime import datetime
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from apps.core.exceptions import DomainError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}


class ProcessedPhoto:
    def __init__(self, image: ContentFile, thumbnail: ContentFile, taken_at, lat, lng):
        self.image, self.thumbnail, self.taken_at, self.lat, self.lng = image, thumbnail, taken_at, lat, lng


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


def _jpeg(image: Image.Image, side: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((side, side))
    buffer = BytesIO()
    copy.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def save_photo(photo, processed: ProcessedPhoto):
    """Store the resized image, its thumbnail and the capture time and place on `photo` (any
    `apps.photos.models.Photo`) and save it."""
    photo.taken_at = processed.taken_at
    photo.taken_lat, photo.taken_lng = processed.lat, processed.lng
    photo.image.save("photo.jpg", processed.image, save=False)
    photo.thumbnail.save("thumb.jpg", processed.thumbnail, save=False)
    photo.save()
    return photo


def process_upload(upload) -> ProcessedPhoto:
    """Refuse anything but a real image under the size limit; return resized JPEGs and EXIF facts."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise DomainError(_("照片过大（最大 {mb} MB）。").format(mb=settings.PHOTO_MAX_BYTES // (1024 * 1024)))
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError(_("只能上传照片（JPEG、PNG 或 WebP 格式）。")) from None
    if image.format not in ALLOWED_FORMATS:
        raise DomainError(_("只能上传照片（JPEG、PNG 或 WebP 格式）。"))
    taken_at, lat, lng = _exif(image)
    image = ImageOps.exif_transpose(image)
    return ProcessedPhoto(
        _jpeg(image, settings.PHOTO_MAX_SIDE), _jpeg(image, settings.PHOTO_THUMB_SIDE), taken_at, lat, lng
    )
