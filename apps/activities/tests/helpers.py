"""Test helpers of the activities app."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.activities.models import OutputMeasure


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 160, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def measure(code: str) -> OutputMeasure:
    return OutputMeasure.objects.get(code=code)


def out(code: str, quantity, **extra) -> dict:
    return {"measure": measure(code), "quantity": quantity, **extra}
