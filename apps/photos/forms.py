"""The photo input every app's forms use: several photos from one input (camera or gallery)."""

from django import forms

from apps.core.exceptions import DomainError

from .services import check_count, check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input (the phone's camera or gallery): at most
    PHOTO_MAX_PER_REQUEST, each checked from its header (type, bytes, sides, pixels, frames)
    so a hostile file is refused with a message before anything is decoded."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        try:
            check_count(len(files))
            for upload in files:
                check_upload(upload)
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code="photo") from None
        return files
