import json

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionedModelForm(forms.ModelForm):
    """Carries the record version seen when the form was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class GeoJSONField(forms.JSONField):
    """A GeoJSON textarea that tolerates an empty value."""

    widget = forms.Textarea(
        attrs={"rows": 3, "class": "mono", "placeholder": '{"type": "Polygon", "coordinates": [...]}'}
    )

    def prepare_value(self, value):
        if value in (None, ""):
            return ""
        return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value

    default_error_messages = {"invalid": _("请输入有效的 GeoJSON。")}
