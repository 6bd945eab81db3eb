"""Forms of the smoke-free places."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import MAX_SIGNS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE)
    signs_found = forms.IntegerField(label=_("现场禁烟标识"), min_value=0, max_value=MAX_SIGNS)
    smoking_seen = forms.BooleanField(label=_("发现吸烟"), required=False)
    butts_seen = forms.BooleanField(label=_("发现烟头"), required=False)
    ashtrays_seen = forms.BooleanField(label=_("摆放烟具"), required=False)
    tobacco_ads = forms.BooleanField(label=_("烟草广告"), required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()
