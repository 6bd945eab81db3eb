"""Forms of plans (the kind × month grid as one form) and activities (one phone screen with its
material lines as a formset and photos)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Unit
from apps.organization.selectors import jurisdiction_choices
from apps.photos.forms import PhotosField

from ..choices import ACTIVITY_KINDS, Audience, EduKind
from ..models import MAX_PEOPLE, MAX_PLANNED, MAX_QUANTITY

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "numeric", "min": "0"}


class JurisdictionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def cell_name(kind: str, month: int) -> str:
    return f"t_{kind}_{month}"


class PlanForm(forms.Form):
    jurisdiction = JurisdictionChoiceField(label=_("辖区"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=1)
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
            if user.jurisdiction_id:
                self.fields["jurisdiction"].initial = user.jurisdiction_id
        if plan is not None:
            del self.fields["jurisdiction"]
            del self.fields["year"]
        for kind, label in EduKind.choices:
            for month in range(1, 13):
                self.fields[cell_name(kind, month)] = forms.IntegerField(
                    label=_("{kind} {month}月").format(kind=label, month=month),
                    min_value=0,
                    max_value=MAX_PLANNED,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            **NUMBER,
                            "max": str(MAX_PLANNED),
                            "class": "grid-cell",
                            "style": "width:3.5rem;min-width:3.5rem",
                        }
                    ),
                    error_messages={
                        "invalid": _("「{kind}」{month}月：请输入整数。").format(kind=label, month=month),
                        "min_value": _("「{kind}」{month}月：不能为负数。").format(kind=label, month=month),
                        "max_value": _("「{kind}」{month}月：不能超过 {max} 场。").format(
                            kind=label, month=month, max=MAX_PLANNED
                        ),
                    },
                )

    def grid_rows(self):
        return [
            {"label": label, "cells": [self[cell_name(kind, m)] for m in range(1, 13)]}
            for kind, label in EduKind.choices
        ]

    def targets(self) -> dict[tuple[str, int], int]:
        return {
            (kind, m): self.cleaned_data.get(cell_name(kind, m)) or 0 for kind in EduKind.values for m in range(1, 13)
        }

    @staticmethod
    def grid_initial(targets: dict) -> dict:
        return {cell_name(kind, month): n for (kind, month), n in targets.items()}


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=[(k.value, k.label) for k in ACTIVITY_KINDS])
    topic = forms.CharField(label=_("主题"), max_length=100)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    jurisdiction = JurisdictionChoiceField(label=_("辖区"), queryset=None)
    speaker = forms.CharField(label=_("主讲人/组织者"), max_length=100, required=False)
    organiser_unit = forms.ModelChoiceField(label=_("组织单位"), queryset=Unit.objects.none(), required=False)
    audience = forms.ChoiceField(label=_("对象"), choices=Audience.choices, initial=Audience.RESIDENTS)
    attendance = forms.IntegerField(
        label=_("参加人次"), min_value=0, max_value=MAX_PEOPLE, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    description = forms.CharField(
        label=_("活动情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    photos = PhotosField(label=_("照片"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=1)
        self.fields["organiser_unit"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        if not self.is_bound and user.jurisdiction_id:
            self.fields["jurisdiction"].initial = user.jurisdiction_id
        if activity is not None:
            del self.fields["jurisdiction"]
        if activity is not None and activity.signed_in:
            self.fields["attendance"].min_value = activity.signed_in
            self.fields["attendance"].help_text = _("扫码签到 {n} 人次，参加人次不能少于签到人次。").format(
                n=activity.signed_in
            )

    def clean_attendance(self):
        value = self.cleaned_data.get("attendance") or 0
        if self.activity is not None and value < self.activity.signed_in:
            raise forms.ValidationError(_("参加人次不能少于扫码签到人次（{n}）。").format(n=self.activity.signed_in))
        return value


class MaterialRowForm(forms.Form):
    title = forms.CharField(label=_("资料名称"), max_length=100, required=False)
    quantity = forms.IntegerField(
        label=_("数量"),
        min_value=1,
        max_value=MAX_QUANTITY,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
        error_messages={"min_value": _("数量至少为 1。"), "invalid": _("数量应为整数。")},
    )
    unit = forms.CharField(label=_("单位"), max_length=10, required=False, initial="份")

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("quantity"):
            self.add_error("quantity", _("请填写数量。"))
        if data.get("quantity") and not data.get("title"):
            self.add_error("title", _("请填写资料名称。"))
        return data


MaterialFormSet = forms.formset_factory(MaterialRowForm, extra=2, max_num=20, absolute_max=20, validate_max=True)


def material_formset(data=None, *, initial=None):
    return MaterialFormSet(data, prefix="mat", initial=initial)


def material_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("title")]


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class SignInForm(forms.Form):
    """The resident's one button: a form stamp and a honeypot, nothing personal."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(required=False, max_length=200)
