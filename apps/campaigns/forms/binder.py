"""The form that starts a binder: the area, limited to what the user may export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.binder import binder_areas


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(0, obj.depth - self.top) + obj.name


class BinderStartForm(forms.Form):
    jurisdiction = AreaChoice(label=_("导出范围"), queryset=None, empty_label=None)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        areas = binder_areas(user=user, campaign=campaign)
        field = self.fields["jurisdiction"]
        field.queryset = areas
        first = areas.first()
        field.top = first.depth if first is not None else 0
