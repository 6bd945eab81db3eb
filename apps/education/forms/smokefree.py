"""Forms of the smoke-free places."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.selectors import jurisdiction_choices

from ..choices import PlaceKind
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


class PlaceForm(forms.Form):
    """Register or edit a smoke-free place (the jurisdiction only on register)."""

    jurisdiction = forms.ModelChoiceField(label=_("辖区"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("场所类型"), choices=PlaceKind.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    signs_required = forms.IntegerField(label=_("应设禁烟标识"), min_value=0, max_value=MAX_SIGNS, initial=1)
    signs_posted = forms.IntegerField(label=_("已设禁烟标识"), min_value=0, max_value=MAX_SIGNS, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["jurisdiction"].label_from_instance = lambda obj: obj.name
        if place is not None:
            del self.fields["jurisdiction"]
        elif not self.is_bound and user.jurisdiction_id:
            self.fields["jurisdiction"].initial = user.jurisdiction_id

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("jurisdiction", "version")}
