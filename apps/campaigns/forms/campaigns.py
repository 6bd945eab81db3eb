"""Forms of campaigns: the campaign itself, its phases and its groups (two formsets)."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction, WorkGroup
from apps.standards.models import StandardVersion

from ..choices import CampaignLevel, GroupRole, PhaseKind
from ..models import Campaign

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def current_versions():
    """Current versions of active standards: the only ones a new campaign may run against."""
    return (
        StandardVersion.objects.filter(standard__is_active=True, standard__current_version_id=F("pk"))
        .select_related("standard")
        .order_by("standard__name")
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("{standard}（第{number}版）").format(standard=obj.standard.name, number=obj.number)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=150)
    level = forms.ChoiceField(label=_("创建目标"), choices=CampaignLevel.choices)
    jurisdiction = forms.ModelChoiceField(label=_("创建辖区"), queryset=Jurisdiction.objects.none())
    standard_version = VersionChoiceField(label=_("对照标准"), queryset=StandardVersion.objects.none())
    parent = forms.ModelChoiceField(
        label=_("所属上级项目"),
        queryset=Campaign.objects.none(),
        required=False,
        help_text=_("社区的创建项目可以作为上级辖区项目的一部分。"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("计划验收日期"), widget=DATE)
    goal = forms.CharField(
        label=_("主要目标"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    guidance = forms.CharField(
        label=_("指导思想"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        own = Jurisdiction.objects.restrict(user, "view")
        if user.role != "admin" and user.jurisdiction_id:
            own = own.filter(path__startswith=user.jurisdiction.path)
        self.fields["jurisdiction"].queryset = own.order_by("path")
        versions = current_versions()
        if campaign is not None:
            versions = versions | StandardVersion.objects.filter(pk=campaign.standard_version_id)
        self.fields["standard_version"].queryset = versions.distinct()
        parents = Campaign.objects.restrict(user, "view").select_related("jurisdiction")
        if campaign is not None:
            parents = parents.exclude(pk=campaign.pk)
        self.fields["parent"].queryset = parents.order_by("jurisdiction__path", "-starts_on")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("计划验收日期不能早于开始日期。"))
        return cleaned


class SignificantChangeMixin:
    """A blank extra line stays blank even though its selects show a default: it counts as filled
    only when one of `significant` is (Django skips validating unchanged extra forms)."""

    significant: tuple[str, ...] = ()

    def has_changed(self):
        return any(name in self.changed_data for name in self.significant)


class PhaseForm(SignificantChangeMixin, forms.Form):
    significant = ("name", "starts_on", "ends_on", "work")
    kind = forms.ChoiceField(label=_("阶段"), choices=PhaseKind.choices)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    work = forms.CharField(
        label=_("工作安排"), widget=forms.Textarea(attrs={"rows": 1}), required=False, max_length=2000
    )


class GroupForm(SignificantChangeMixin, forms.Form):
    significant = ("group", "duties")
    group = forms.ModelChoiceField(label=_("小组"), queryset=WorkGroup.objects.none())
    role = forms.ChoiceField(label=_("作用"), choices=GroupRole.choices, initial=GroupRole.WORKING)
    duties = forms.CharField(label=_("职责"), widget=forms.Textarea(attrs={"rows": 1}), required=False, max_length=2000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["group"].queryset = (
                WorkGroup.objects.restrict(user, "view").select_related("jurisdiction").order_by("jurisdiction__path")
            )


PhaseFormSet = forms.formset_factory(PhaseForm, extra=1, can_delete=True, max_num=12, validate_max=True)
GroupFormSet = forms.formset_factory(GroupForm, extra=2, can_delete=True, max_num=30, validate_max=True)


def formset_lines(formset) -> list[dict]:
    """The filled, not deleted lines of a valid formset, in order."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
