"""Forms of the task breakdown: edit, bulk assign, progress and the status steps."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.roles import Role
from apps.organization.models import Jurisdiction, Unit, WorkGroup

from ..areas import area_path as campaign_area_path
from ..areas import areas_for, groups_q
from ..models import Campaign, Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Staff accounts are named in full inside the organisation (as in the case pages' assignee list).
        return gettext("{name}（{role}）").format(name=obj.display_name, role=obj.get_role_display())


def area_choices(user, campaign: Campaign):
    """The areas a task of the campaign may go to: the user's area of it and below."""
    return areas_for(user, campaign)


def group_choices(campaign: Campaign, user=None):
    """Groups of the user's area of the campaign and below, and of the campaign's own jurisdiction."""
    return WorkGroup.objects.filter(groups_q(user, campaign)).order_by("jurisdiction__path", "name")


def unit_choices(area_path: str):
    return Unit.objects.filter(jurisdiction__path__startswith=area_path).order_by("name")


def person_choices(area_path: str):
    """People working in the area (their jurisdiction lies in it) or contacts of units there."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.UNIT_CONTACT, unit__jurisdiction__path__startswith=area_path)
            | (~Q(role=Role.UNIT_CONTACT) & Q(jurisdiction__path__startswith=area_path))
        )
        .exclude(role__in=[Role.LEADER, Role.INSPECTOR])
        .order_by("role", "username")
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=200)
    description = forms.CharField(
        label=_("工作要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    evidence_required = forms.CharField(
        label=_("应形成的资料"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    jurisdiction = forms.ModelChoiceField(label=_("责任区域"), queryset=Jurisdiction.objects.none())
    group = forms.ModelChoiceField(label=_("责任小组"), queryset=WorkGroup.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    assignee = PersonChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = task.campaign
        self.fields["jurisdiction"].queryset = area_choices(user, campaign)
        self.fields["group"].queryset = group_choices(campaign, user)
        area = task.jurisdiction.path
        self.fields["unit"].queryset = unit_choices(area)
        self.fields["assignee"].queryset = person_choices(area)
        self.fields["assignee"].help_text = gettext("该区域的工作人员或区域内单位的联系人；更换区域后请先保存再选择。")


class BulkAssignForm(forms.Form):
    """批量分配: what to set on every selected row; empty fields are left as they are."""

    jurisdiction = forms.ModelChoiceField(label=_("责任区域"), queryset=Jurisdiction.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("责任小组"), queryset=WorkGroup.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    assignee = PersonChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    tasks = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = area_choices(user, campaign)
        self.fields["group"].queryset = group_choices(campaign, user)
        own = campaign_area_path(user, campaign) or campaign.jurisdiction.path
        self.fields["unit"].queryset = unit_choices(own)
        self.fields["assignee"].queryset = person_choices(own)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "tasks" and v not in (None, "")}


def parse_selection(values: list[str]) -> dict[int, int]:
    """Checked rows as {task id: version} from "id:version" values; malformed ones are refused."""
    versions = {}
    for value in values:
        pk, _sep, version = str(value).partition(":")
        if not (pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit()) or len(value) > 24:
            raise forms.ValidationError(gettext("所选任务无效，请刷新页面后重试。"))
        versions[int(pk)] = int(version)
    return versions


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
