"""Forms of the bulletin-board register."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.selectors import jurisdiction_choices

from ..choices import Cadence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardUpdateForm(forms.Form):
    updated_on = forms.DateField(label=_("更换日期"), widget=DATE)
    topic = forms.CharField(label=_("主题"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["updated_on"].initial = timezone.localdate()


class BoardForm(forms.Form):
    """Register or edit a board (the jurisdiction only on register)."""

    jurisdiction = forms.ModelChoiceField(label=_("辖区"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("位置"), max_length=200)
    cadence = forms.ChoiceField(label=_("更换周期"), choices=Cadence.choices)
    installed_on = forms.DateField(label=_("设立日期"), widget=DATE)
    lat = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    lng = forms.DecimalField(
        label=_("经度"), max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    width_m = forms.DecimalField(label=_("宽（米）"), max_digits=5, decimal_places=2, min_value=0, required=False)
    height_m = forms.DecimalField(label=_("高（米）"), max_digits=5, decimal_places=2, min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, board=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["jurisdiction"].label_from_instance = lambda obj: obj.name
        if board is not None:
            del self.fields["jurisdiction"]
        elif not self.is_bound:
            self.fields["installed_on"].initial = timezone.localdate()
            if user.jurisdiction_id:
                self.fields["jurisdiction"].initial = user.jurisdiction_id

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("jurisdiction", "version")}
