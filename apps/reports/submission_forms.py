"""The small forms of reporting upward (报送): the period picker, a call, a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind
from .submissions import NOTE, REASON

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """?kind=&start=&end= of the submissions page (all three, or none for the default)."""

    kind = forms.ChoiceField(label=_("文种"), choices=ReportKind.choices)
    start = forms.DateField(label=_("统计起始日"), widget=DATE)
    end = forms.DateField(label=_("统计截止日"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("统计截止日不能早于起始日。"))
        return data


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("文种"), choices=ReportKind.choices)
    period_start = forms.DateField(label=_("统计起始日"), widget=DATE)
    period_end = forms.DateField(label=_("统计截止日"), widget=DATE)
    deadline = forms.DateField(label=_("报送截止日"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=NOTE, required=False)


class DecisionForm(forms.Form):
    version = forms.IntegerField()
    reason = forms.CharField(label=_("退回原因"), max_length=REASON, required=False)
