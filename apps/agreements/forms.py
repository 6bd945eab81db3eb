"""Forms of agreements: signing on a phone, refusal, renewal, a bulk generation, a template edit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction

from .models import AgreementType


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class SignForm(forms.Form):
    """Few fields, big buttons: name, phone, date (today) and the camera."""

    signatory_name = forms.CharField(label=_("签订人"), max_length=50)
    signatory_phone = forms.CharField(label=_("签订人电话"), max_length=30, required=False)
    signed_on = forms.DateField(label=_("签订日期"), widget=_date())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("签订日期不能晚于今天。"))
        return day


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("拒签原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RenewForm(forms.Form):
    starts_on = forms.DateField(label=_("新期限起"), widget=_date())
    ends_on = forms.DateField(label=_("新期限止"), widget=_date())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            raise forms.ValidationError(_("期限止不能早于期限起。"))
        return cleaned


class StepForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GenerateForm(forms.Form):
    agreement_type = forms.ModelChoiceField(label=_("责任书类型"), queryset=AgreementType.objects.all())
    jurisdiction = forms.ModelChoiceField(
        label=_("发放辖区"),
        queryset=Jurisdiction.objects.none(),
        help_text=_("对该辖区内所有应签对象生成（目标责任书：对其下级辖区），已有有效责任书的跳过。"),
    )
    starts_on = forms.DateField(label=_("期限起"), widget=_date())
    ends_on = forms.DateField(
        label=_("期限止"),
        required=False,
        widget=_date(),
        help_text=_("不填按模板默认期限。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user, "view").filter(
            level__code__in=["city", "district", "street", "community"]
        )
        if user.jurisdiction_id and not self.is_bound:
            self.initial.setdefault("jurisdiction", user.jurisdiction_id)
        self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            raise forms.ValidationError(_("期限止不能早于期限起。"))
        return cleaned


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(
        label=_("正文"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("占位符：{number} {issuer} {party} {zone} {duties} {start} {end} {term}"),
    )
    duties = forms.CharField(
        label=_("责任内容"), max_length=6000, widget=forms.Textarea(attrs={"rows": 6}), help_text=_("每行一项")
    )
    term_months = forms.IntegerField(label=_("默认期限（月）"), min_value=1, max_value=120)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_duties(self):
        return [line.strip() for line in self.cleaned_data["duties"].splitlines() if line.strip()]  # a list
