"""Forms of mock assessments."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction

from ..choices import AssessmentResult
from .assessment import POINTS, areas_of, date_input


class MockCreateForm(forms.Form):
    conducted_on = forms.DateField(label=_("考核日期"), widget=date_input())
    jurisdiction = forms.ModelChoiceField(label=_("考核范围"), queryset=Jurisdiction.objects.none())
    sample_size = forms.IntegerField(label=_("抽查点位数"), min_value=1, max_value=50, initial=8)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = areas_of(campaign, user)
        self.fields["conducted_on"].initial = timezone.localdate()


class MockScoreForm(forms.Form):
    result = forms.ChoiceField(label=_("结果"), choices=[("", "---------"), *AssessmentResult.choices])
    score = forms.DecimalField(label=_("得分"), required=False, **POINTS)
    note = forms.CharField(label=_("扣分说明"), required=False, max_length=2000)
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class MockTasksForm(forms.Form):
    count = forms.IntegerField(label=_("最薄弱的小项数"), min_value=1, max_value=20, initial=3)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=date_input())
