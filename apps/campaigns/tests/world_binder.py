"""The binder part of the campaigns access world: a finished binder of 甲街道's campaign."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.campaigns.models import BinderExport


def tiny_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("00 目录.txt", "")
    return buffer.getvalue()


def extend(o) -> None:
    o.binder = BinderExport.objects.create(
        campaign=o.campaign,
        jurisdiction=o.street_a,
        created_by=o.street,
        status="succeeded",
        finished_at=timezone.now(),
        file_count=1,
    )
    o.binder.file.save("binder.zip", ContentFile(tiny_zip()), save=False)
    o.binder.size = o.binder.file.size
    o.binder.save()
