"""Forms of agreements: signing on a phone, refusal, renewal, a bulk generation, one agreement issued
to one party, a template edit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction

from .choices import RequiredRule
from .models import AgreementTemplate, AgreementType

ISSUER_LEVELS = ("city", "district", "street", "community")


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
            level__code__in=ISSUER_LEVELS
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


class IssueForm(forms.Form):
    """签发 one agreement to one party (the party is fixed by the page it came from)."""

    agreement_type = forms.ModelChoiceField(label=_("责任书类型"), queryset=AgreementType.objects.none())
    template = forms.ModelChoiceField(
        label=_("模板"),
        queryset=AgreementTemplate.objects.none(),
        required=False,
        help_text=_("不选则用该类型当前启用的模板。"),
    )
    issuer = forms.ModelChoiceField(label=_("发放辖区"), queryset=Jurisdiction.objects.none())
    starts_on = forms.DateField(label=_("期限起"), widget=_date())
    ends_on = forms.DateField(label=_("期限止"), required=False, widget=_date(), help_text=_("不填按模板默认期限。"))

    def __init__(self, *args, user, unit=None, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            code = unit.unit_type.code
            types = [t.pk for t in AgreementType.objects.all() if not t.unit_types or code in t.unit_types]
            holder = unit.jurisdiction
            issuers = Jurisdiction.objects.filter(pk__in=[*holder.ancestor_ids, holder.pk])
        else:
            types = AgreementType.objects.filter(required_rule=RequiredRule.CHILDREN).values("pk")
            issuers = Jurisdiction.objects.filter(pk=party.parent_id)
        self.fields["agreement_type"].queryset = AgreementType.objects.filter(pk__in=types)
        self.fields["template"].queryset = AgreementTemplate.objects.filter(
            agreement_type__in=types, is_active=True, current_version__isnull=False
        ).select_related("agreement_type")
        self.fields["issuer"].queryset = (
            issuers.restrict(user, "view").filter(level__code__in=ISSUER_LEVELS).order_by("-depth")
        )
        if not self.is_bound:
            own = user.jurisdiction_id
            mine = own if own and self.fields["issuer"].queryset.filter(pk=own).exists() else None
            self.initial.setdefault(
                "issuer", mine or self.fields["issuer"].queryset.values_list("pk", flat=True).first()
            )
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        template, agreement_type = cleaned.get("template"), cleaned.get("agreement_type")
        if template is not None and agreement_type is not None and template.agreement_type_id != agreement_type.pk:
            self.add_error("template", _("所选模板不属于该类型。"))
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            raise forms.ValidationError(_("期限止不能早于期限起。"))
        return cleaned
