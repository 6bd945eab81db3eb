"""The abstract photo every app's photo model inherits (case photos, inspection photos, ...)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def photo_upload_path(instance, filename):
    """`<folder>/<yyyy>/<mm>/[<sub>/]<random>.jpg`: the folder comes from the concrete model."""
    return instance.upload_path(filename)


class Photo(models.Model):
    """A photo resized on upload, with its thumbnail and the EXIF capture time and place.

    Media files are never public: a concrete model names, in `serve_url_name`, its view that
    checks the viewer may see what the photo belongs to (and then calls `photo_response`).
    """

    image = models.ImageField(_("照片"), upload_to=photo_upload_path)
    thumbnail = models.ImageField(_("缩略图"), upload_to=photo_upload_path)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    taken_lat = models.DecimalField(_("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    taken_lng = models.DecimalField(_("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    upload_folder = "photos"
    serve_url_name = ""

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def upload_subfolder(self) -> str:
        return ""

    def upload_path(self, filename) -> str:
        sub = self.upload_subfolder()
        folder = f"{self.upload_folder}/{timezone.localdate():%Y/%m}" + (f"/{sub}" if sub else "")
        return f"{folder}/{secrets.token_hex(8)}.jpg"

    @property
    def image_url(self) -> str:
        return reverse(self.serve_url_name, args=[self.pk, "full"])

    @property
    def thumbnail_url(self) -> str:
        return reverse(self.serve_url_name, args=[self.pk, "thumb"])
