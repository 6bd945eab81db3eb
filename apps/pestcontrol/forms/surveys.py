"""Forms of 病媒生物监测: a survey (built from its method's inputs: only raw counts, never an
index), the minimum sample of a method, and the limits of a control-level version."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import DomainError
from apps.core.units import unit_text
from apps.organization.models import Jurisdiction, Unit
from apps.organization.selectors import jurisdiction_choices

from .. import methods
from ..choices import CampaignStatus, Grade, PlaceType, SurveyPhase
from ..models import ControlVersion, PestCampaign
from ..services.surveys import HOUSEHOLD_FIXED_FIELDS, MAX_COUNT, clean_counts

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def count_field(key: str) -> str:
    return f"c_{key}"


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", None) or str(obj)


class SurveyForm(forms.Form):
    """One screen: place, date, optional campaign and phase, and the method's raw counts."""

    jurisdiction = NamedChoiceField(label=_("监测辖区"), queryset=Jurisdiction.objects.none())
    place_type = forms.ChoiceField(label=_("场所类型"), choices=PlaceType.choices)
    unit = NamedChoiceField(label=_("监测单位"), queryset=Unit.objects.none(), required=False)
    place_name = forms.CharField(label=_("监测地点"), max_length=200, required=False)
    surveyed_on = forms.DateField(label=_("监测日期"), widget=DATE)
    campaign = forms.ModelChoiceField(label=_("所属行动"), queryset=PestCampaign.objects.none(), required=False)
    phase = forms.ChoiceField(label=_("防制前后"), choices=SurveyPhase.choices, required=False)
    notes = forms.CharField(label=_("说明"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, method: methods.Method, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.method, self.survey = user, method, survey
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=3)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        # A cancelled campaign takes no new surveys; one already linked stays selectable.
        campaigns = PestCampaign.objects.restrict(user, "view").exclude(status=CampaignStatus.CANCELLED)
        if survey is not None and survey.campaign_id:
            campaigns = campaigns | PestCampaign.objects.restrict(user, "view").filter(pk=survey.campaign_id)
        self.fields["campaign"].queryset = campaigns.order_by("-start_date")
        if not self.is_bound:
            self.fields["surveyed_on"].initial = timezone.localdate()
            if user.jurisdiction_id:
                self.fields["jurisdiction"].initial = user.jurisdiction_id
        for item in method.inputs:
            attrs = {"inputmode": "decimal" if item.decimal else "numeric", "min": "0"}
            attrs["step"] = "0.01" if item.decimal else "1"
            self.fields[count_field(item.key)] = forms.CharField(
                label=gettext("{label}（{unit}）").format(label=item.label, unit=unit_text(item.unit))
                if item.unit
                else item.label,
                widget=forms.NumberInput(attrs=attrs),
                max_length=20,
            )
        if survey is not None:
            del self.fields["jurisdiction"]
            if method.code == methods.HOUSEHOLD_METHOD:
                for item in method.inputs:
                    del self.fields[count_field(item.key)]
                for name in HOUSEHOLD_FIXED_FIELDS:
                    self.fields.pop(name, None)

    def count_fields(self):
        return [self[count_field(i.key)] for i in self.method.inputs if count_field(i.key) in self.fields]

    def place_fields(self):
        names = ["jurisdiction", "place_type", "unit", "place_name", "surveyed_on"]
        return [self[n] for n in names if n in self.fields]

    def more_fields(self):
        return [self[n] for n in ("campaign", "phase", "notes")]

    def clean(self):
        data = super().clean()
        if self.count_fields() and not any(name in self.errors for name in self.fields if name.startswith("c_")):
            try:
                data["counts"] = clean_counts(self.method, self.raw_counts())
            except DomainError as error:
                self.add_error(None, str(error.message))
        return data

    def raw_counts(self) -> dict:
        return {i.key: self.cleaned_data.get(count_field(i.key)) for i in self.method.inputs}


class MethodSettingForm(forms.Form):
    method = forms.ChoiceField(label=_("监测方法"), choices=methods.method_choices())
    min_sample = forms.IntegerField(label=_("最低样本量"), min_value=1, max_value=MAX_COUNT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def limit_field(index: str, place_type: str, level: str) -> str:
    return f"t__{index}__{place_type or 'all'}__{level}"


class ThresholdsForm(forms.Form):
    """The limits of a version: one row per index and place type already set, and a row to add
    a place type of its own for an index. A used version needs the new version's date."""

    effective_from = forms.DateField(label=_("新版本实施日期"), widget=DATE, required=False)
    label = forms.CharField(label=_("新版本名称"), max_length=30, required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    is_example = forms.BooleanField(label=_("示例值（非标准原文数值）"), required=False)
    add_index = forms.ChoiceField(label=_("新增指标/场所类型"), required=False)
    add_place_type = forms.ChoiceField(
        label=_("场所类型"), choices=[("", _("各类场所")), *PlaceType.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, version: ControlVersion, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.control_version, self.rows = version, rows
        graded = methods.graded_indices(version.standard.pest)
        self.fields["add_index"].choices = [("", "—")] + [
            (i.key, gettext("{label}（{method}）").format(label=i.label, method=m.label)) for m, i in graded
        ]
        levels = ("A", "B", "C")
        for row in rows:
            for level, limit in zip(levels, row["levels"], strict=True):
                name = limit_field(row["index"].key, row["place_type"], level)
                self.fields[name] = forms.DecimalField(
                    label=f"{row['index'].label} {level}",
                    required=False,
                    min_value=0,
                    max_value=100000,
                    decimal_places=2,
                    max_digits=10,
                    widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
                )
                if not self.is_bound:
                    self.fields[name].initial = limit
            row["fields"] = [self[limit_field(row["index"].key, row["place_type"], level)] for level in levels]
        for level in levels:
            self.fields[f"add_{level}"] = forms.DecimalField(
                label=str(Grade(level).label),
                required=False,
                min_value=0,
                max_value=100000,
                decimal_places=2,
                max_digits=10,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            )
        if not self.is_bound:
            self.fields["is_example"].initial = version.is_example
            self.fields["note"].initial = version.note

    def add_fields(self):
        return [self["add_index"], self["add_place_type"], self["add_A"], self["add_B"], self["add_C"]]

    def limits(self) -> dict:
        """(index, place type, level) → limit (None: the row is removed) for every field shown."""
        data = self.cleaned_data
        result = {}
        for row in self.rows:
            for level in ("A", "B", "C"):
                result[(row["index"].key, row["place_type"], level)] = data.get(
                    limit_field(row["index"].key, row["place_type"], level)
                )
        if data.get("add_index"):
            for level in ("A", "B", "C"):
                if data.get(f"add_{level}") is not None:
                    result[(data["add_index"], data.get("add_place_type") or "", level)] = data[f"add_{level}"]
        return result

    def clean(self):
        data = super().clean()
        if data.get("add_index") and all(data.get(f"add_{level}") is None for level in ("A", "B", "C")):
            self.add_error("add_index", gettext("请填写新增指标的限值。"))
        return data
