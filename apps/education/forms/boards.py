"""Forms of the bulletin-board register."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardUpdateForm(forms.Form):
    updated_on = forms.DateField(label=_("更换日期"), widget=DATE)
    topic = forms.CharField(label=_("主题"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["updated_on"].initial = timezone.localdate()
