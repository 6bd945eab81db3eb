from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    """Photos for every app: one abstract model, one storage/EXIF/thumbnail service, one serving helper."""

    name = "apps.photos"
    label = "photos"
    verbose_name = _("照片")

    def ready(self):
        from .services import apply_pixel_limit

        apply_pixel_limit()
