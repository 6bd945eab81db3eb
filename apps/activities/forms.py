"""Forms: the activity (one phone screen: kind, date, place, 人次 per kind, preset output rows,
photo), its output lines, the status steps, volunteers, teams, sign-ups and measures."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedModelForm
from apps.core.personal import MaskedPersonalFieldsMixin
from apps.organization.models import Jurisdiction, Unit
from apps.organization.selectors import jurisdiction_choices
from apps.photos.forms import PhotosField

from .choices import ActivityKind, MeasureCategory, ParticipantKind
from .measures import PRESETS
from .models import MAX_COUNT, MAX_HOURS, MAX_QUANTITY, Activity, OutputMeasure, Volunteer, VolunteerTeam

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "numeric", "min": "0"}


def participant_field(kind) -> str:
    return f"people_{kind}"


class JurisdictionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AreasField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("活动日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    title = forms.CharField(label=_("活动名称"), max_length=100, required=False, help_text=_("不填则按类型和地点生成"))
    jurisdiction = JurisdictionChoiceField(label=_("组织辖区"), queryset=Jurisdiction.objects.none())
    areas = AreasField(label=_("覆盖区域"), queryset=Jurisdiction.objects.none(), required=False)
    organiser = forms.CharField(label=_("组织者"), max_length=100, required=False)
    organiser_unit = forms.ModelChoiceField(label=_("组织单位"), queryset=Unit.objects.none(), required=False)
    description = forms.CharField(
        label=_("活动情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    held = forms.BooleanField(label=_("已开展（登记成效）"), required=False, initial=True)
    photos = PhotosField(label=_("照片"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.activity = user, activity
        places = jurisdiction_choices(user=user, levels_below=2)
        self.fields["jurisdiction"].queryset = places
        self.fields["areas"].queryset = places
        self.fields["organiser_unit"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        if user.jurisdiction_id and not self.is_bound:
            self.fields["jurisdiction"].initial = user.jurisdiction_id
        self.fields["held_on"].initial = timezone.localdate()
        for kind, label in ParticipantKind.choices:
            self.fields[participant_field(kind)] = forms.IntegerField(
                label=gettext("{kind}（人次）").format(kind=label),
                min_value=0,
                max_value=MAX_COUNT,
                required=False,
                widget=forms.NumberInput(attrs=NUMBER),
            )
        if activity is not None:
            # The owner is fixed once recorded; the step decides held/cancelled.
            del self.fields["jurisdiction"]
            del self.fields["held"]
            places = places.filter(path__startswith=activity.jurisdiction.path)
            self.fields["areas"].queryset = places

    def participant_fields(self):
        return [self[participant_field(kind)] for kind in ParticipantKind.values]

    def main_fields(self):
        names = ["kind", "held_on", "place", "title", "jurisdiction", "held"]
        return [self[name] for name in names if name in self.fields]

    def more_fields(self):
        names = ["areas", "organiser", "organiser_unit", "description"]
        return [self[name] for name in names]

    def clean(self):
        data = super().clean()
        if not data.get("title") and data.get("kind"):
            label = ActivityKind(data["kind"]).label
            data["title"] = f"{data.get('place') or ''}{label}"[:100]
        owner = data.get("jurisdiction") or (self.activity.jurisdiction if self.activity else None)
        for area in data.get("areas") or []:
            if owner is not None and not area.path.startswith(owner.path):
                self.add_error("areas", _("覆盖区域必须是组织辖区本身或其下级。"))
                break
        return data

    def participants(self) -> dict[str, int]:
        return {kind: self.cleaned_data.get(participant_field(kind)) or 0 for kind in ParticipantKind.values}


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class OutputRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    measure = MeasureChoiceField(label=_("成效/物品"), queryset=OutputMeasure.objects.none(), required=False)
    quantity = forms.DecimalField(
        label=_("数量"),
        min_value=0,
        max_value=MAX_QUANTITY,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "any"}),
    )
    material = forms.CharField(label=_("物品/资料名称"), max_length=100, required=False)
    location = forms.CharField(label=_("位置"), max_length=200, required=False)

    def __init__(self, *args, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Active measures, and those of the activity's own lines (a measure the office stopped
        # later must not make its old lines uneditable).
        offered = Q(is_active=True) | Q(pk__in=list(keep))
        self.fields["measure"].queryset = OutputMeasure.objects.filter(offered).order_by("sort", "id")

    def clean(self):
        data = super().clean()
        if data.get("quantity") is not None and data.get("measure") is None:
            self.add_error("measure", _("请选择计量项。"))
        if data.get("measure") is not None and data.get("quantity") is None and data.get("id"):
            data["quantity"] = 0  # a corrected line emptied: cleared to 0, kept
        return data


OutputFormSet = forms.formset_factory(OutputRowForm, extra=0, max_num=30, absolute_max=30, validate_max=True)


def output_formset(data=None, *, activity: Activity | None = None, initial=None):
    """The output lines of the form: a new activity's preset rows, or an activity's own lines
    (their measures stay offered even when stopped since)."""
    keep = list(activity.outputs.values_list("measure_id", flat=True)) if activity is not None else []
    return OutputFormSet(data, prefix="out", initial=initial, form_kwargs={"keep": keep})


def preset_rows(kind: str) -> list[dict]:
    """The blank rows the form offers for a kind (garbage 吨, 车, 卫生死角 处 for a drive …)."""
    codes = PRESETS.get(kind, [])
    by_code = {m.code: m for m in OutputMeasure.objects.filter(code__in=codes, is_active=True)}
    rows = [{"measure": by_code[code].pk} for code in codes if code in by_code]
    return [*rows, {}]


def existing_rows(activity: Activity) -> list[dict]:
    rows = [
        {"id": o.pk, "measure": o.measure_id, "quantity": o.quantity, "material": o.material, "location": o.location}
        for o in activity.outputs.all()
    ]
    return [*rows, {}, {}]


def output_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("measure") is not None]


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SignUpForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("志愿者"), queryset=Volunteer.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = candidates
        # Labels never carry the name in full: the masked name and the team.
        self.fields["volunteer"].label_from_instance = volunteer_label


def volunteer_label(volunteer) -> str:
    from apps.core.personal import mask_name

    team = f" · {volunteer.team.name}" if volunteer.team_id else ""
    return gettext("{name}（{number}）").format(name=mask_name(volunteer.full_name), number=volunteer.pk) + team


class AttendanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attended = forms.TypedChoiceField(
        label=_("到场"),
        choices=[("", _("未确认")), ("1", _("到场")), ("0", _("未到"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), min_value=0, max_value=MAX_HOURS, max_digits=4, decimal_places=1, required=False
    )


class VolunteerForm(MaskedPersonalFieldsMixin, VersionedModelForm):
    class Meta:
        model = Volunteer
        fields = ["full_name", "phone", "team", "skills", "jurisdiction", "is_active"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["jurisdiction"].label_from_instance = lambda j: j.name
        self.fields["team"].queryset = VolunteerTeam.objects.restrict(user, "view").filter(is_active=True)
        if self.instance.pk is None:
            del self.fields["is_active"]
            if user.jurisdiction_id:
                self.fields["jurisdiction"].initial = user.jurisdiction_id


class TeamForm(VersionedModelForm):
    class Meta:
        model = VolunteerTeam
        fields = ["name", "jurisdiction", "description", "is_active"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["jurisdiction"].label_from_instance = lambda j: j.name
        if self.instance.pk is None:
            del self.fields["is_active"]
            if user.jurisdiction_id:
                self.fields["jurisdiction"].initial = user.jurisdiction_id


class MeasureForm(VersionedModelForm):
    class Meta:
        model = OutputMeasure
        fields = ["code", "name", "unit", "category", "sort", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = MeasureCategory.choices
        if self.instance.pk is not None:
            self.fields["code"].disabled = True
        else:
            del self.fields["is_active"]
