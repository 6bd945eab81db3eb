"""Forms of meetings: plan/edit (phone friendly: few fields, checkboxes), hold (the record),
decisions, sign-in by the recorder, the status steps and attachments."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.organization.models import Jurisdiction, Unit, WorkGroup

from . import campaign_link, selectors
from .choices import DecisionKind, MeetingKind, Recurrence
from .models import NAME, PLACE, TEXT, TOPIC

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("{name}（{role}）").format(name=obj.display_name, role=obj.get_role_display())


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return gettext("{name}（{role}）").format(name=obj.display_name, role=obj.get_role_display())


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    recurrence = forms.ChoiceField(
        label=_("重复"),
        choices=Recurrence.choices,
        initial=Recurrence.NONE,
        help_text=_("例会可设为每周或每月：记录召开后自动安排下一次会议。"),
    )
    topic = forms.CharField(label=_("会议主题"), max_length=TOPIC)
    jurisdiction = forms.ModelChoiceField(label=_("召开辖区"), queryset=Jurisdiction.objects.none())
    starts_at = forms.DateTimeField(label=_("会议时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=PLACE)
    host = forms.CharField(label=_("主持人"), max_length=NAME, required=False)
    recorder = PersonChoiceField(label=_("记录人"), queryset=User.objects.none(), required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("参加小组"), queryset=WorkGroup.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    units = forms.ModelMultipleChoiceField(label=_("参加单位"), queryset=Unit.objects.none(), required=False)
    people = PeopleChoiceField(
        label=_("参加人员"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    guests = forms.CharField(
        label=_("其他参加人员"), max_length=TOPIC, required=False, help_text=_("没有账号的来宾，如：区爱卫办 王主任")
    )
    campaign = forms.ModelChoiceField(
        label=_("创建项目"),
        queryset=campaign_link.campaign_queryset().none(),
        required=False,
        help_text=_("选定后，会议议定事项自动列入该项目的任务分解表。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        jurisdictions = Jurisdiction.objects.restrict(user, "view")
        self.fields["jurisdiction"].queryset = jurisdictions
        own = getattr(user, "jurisdiction", None)
        if own is not None and not self.is_bound and meeting is None:
            self.initial.setdefault("jurisdiction", own.pk)
        path = meeting.jurisdiction.path if meeting else (own.path if own else "")
        self.fields["groups"].queryset = WorkGroup.objects.restrict(user, "view").order_by("jurisdiction__path", "name")
        self.fields["units"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        place = meeting.jurisdiction if meeting else own
        people = selectors.invitable_people(user, place)
        self.fields["people"].queryset = people
        self.fields["recorder"].queryset = people
        self.fields["campaign"].queryset = (
            campaign_link.campaign_queryset()
            .restrict(user, "view")
            .filter(jurisdiction__path__in=_ancestor_paths(path))
            if path
            else campaign_link.campaign_queryset().restrict(user, "view")
        )

    def clean(self):
        data = super().clean()
        campaign, jurisdiction = data.get("campaign"), data.get("jurisdiction")
        if campaign and jurisdiction and not campaign_link.campaign_covers(campaign, jurisdiction):
            self.add_error("campaign", _("所选创建项目的范围不包括会议所属辖区。"))
        return data


def _ancestor_paths(path: str) -> list[str]:
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


class HoldForm(forms.Form):
    held_at = forms.DateTimeField(label=_("召开时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    host = forms.CharField(label=_("主持人"), max_length=NAME, required=False)
    points = forms.CharField(
        label=_("会议主要内容记录"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一点，自动编号。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_held_at(self):
        value = self.cleaned_data["held_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("会议召开时间不能晚于现在。"))
        return value


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("议定事项"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    owner_user = PersonChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    owner_jurisdiction = forms.ModelChoiceField(
        label=_("责任区域"), queryset=Jurisdiction.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("完成时限"), widget=DATE, required=False)

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        path = meeting.jurisdiction.path
        self.fields["owner_user"].queryset = selectors.people_in_area(path)
        self.fields["owner_unit"].queryset = (
            Unit.objects.restrict(user, "view").filter(jurisdiction__path__startswith=path).order_by("name")
        )
        self.fields["owner_jurisdiction"].queryset = Jurisdiction.objects.restrict(user, "view").filter(
            path__startswith=path
        )


class SignForm(forms.Form):
    """The recorder signs someone in (代签), optionally at an earlier time of the meeting's day."""

    attendee = forms.IntegerField(min_value=1)
    signed_at = forms.DateTimeField(required=False, widget=DATETIME, input_formats=DATETIME_FORMATS)


class StepForm(forms.Form):
    version = forms.IntegerField()
    reason = forms.CharField(max_length=TOPIC, required=False)
    note = forms.CharField(max_length=TOPIC, required=False)


class AttachmentForm(forms.Form):
    document = forms.FileField(label=_("会议材料（PDF、Word、Excel）"), required=False)
    photos = forms.FileField(
        label=_("会议照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
