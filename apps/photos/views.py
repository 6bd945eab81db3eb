"""Serving a stored photo once the caller has checked the viewer may see it."""

from django.http import FileResponse


def photo_response(photo, size: str) -> FileResponse:
    """The thumbnail for size "thumb", else the full image, as JPEG."""
    field = photo.thumbnail if size == "thumb" else photo.image
    return FileResponse(field.open("rb"), content_type="image/jpeg")
