from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import GeoJSONField, VersionedModelForm
from apps.core.personal import MaskedPersonalFieldsMixin
from apps.core.readable import qualified

from . import selectors
from .models import GroupMember, Jurisdiction, JurisdictionLevel, License, Staff, Unit, UnitType, WorkGroup, Zone


class ScopedChoicesMixin:
    """Every dropdown offers only what the user may pick."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("jurisdiction", "parent", "new_parent"):
            if name in self.fields and self.fields[name].queryset.model is Jurisdiction:
                self.fields[name].queryset = selectors.jurisdiction_choices(user=user, action="view")
                self.fields[name].label_from_instance = lambda j: "　" * j.depth + qualified(j.name, j.level)
        if "unit_type" in self.fields:
            self.fields["unit_type"].queryset = selectors.unit_type_choices()
        if "unit" in self.fields:
            self.fields["unit"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        if "staff" in self.fields:
            self.fields["staff"].queryset = Staff.objects.restrict(user, "view").order_by("name")
        if "level" in self.fields:
            self.fields["level"].queryset = selectors.level_choices()


class JurisdictionForm(ScopedChoicesMixin, VersionedModelForm):
    boundary = GeoJSONField(label=_("边界（GeoJSON）"), required=False)

    class Meta:
        model = Jurisdiction
        fields = [
            "parent",
            "level",
            "code",
            "name",
            "population",
            "households",
            "area_km2",
            "boundary",
            "center_lat",
            "center_lng",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a node is its own action (it moves the subtree).
            del self.fields["parent"]


class JurisdictionMoveForm(ScopedChoicesMixin, forms.Form):
    new_parent = forms.ModelChoiceField(label=_("新的上级辖区"), queryset=Jurisdiction.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UnitForm(MaskedPersonalFieldsMixin, ScopedChoicesMixin, VersionedModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "unit_type",
            "jurisdiction",
            "address",
            "lat",
            "lng",
            "contact_name",
            "contact_phone",
            "status",
            "credit_code",
        ]


class LicenseForm(forms.ModelForm):
    class Meta:
        model = License
        fields = ["kind", "number", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}


class StaffForm(MaskedPersonalFieldsMixin, ScopedChoicesMixin, VersionedModelForm):
    class Meta:
        model = Staff
        fields = ["name", "post", "phone", "jurisdiction", "unit", "is_active"]


class WorkGroupForm(ScopedChoicesMixin, VersionedModelForm):
    class Meta:
        model = WorkGroup
        fields = ["name", "kind", "jurisdiction", "parent", "duties"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = WorkGroup.objects.restrict(self.user, "view")


class GroupMemberForm(ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["staff", "position", "duty"]


class ZoneForm(ScopedChoicesMixin, VersionedModelForm):
    boundary = GeoJSONField(label=_("范围（GeoJSON）"), required=False)
    covered_jurisdictions = forms.ModelMultipleChoiceField(
        label=_("包含的辖区"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Zone
        fields = ["name", "kind", "jurisdiction", "boundary", "addresses", "requirements"]
        widgets = {"addresses": forms.Textarea(attrs={"rows": 3}), "requirements": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_jurisdictions"].queryset = selectors.jurisdiction_choices(user=self.user)
        if self.instance.pk:
            self.fields["covered_jurisdictions"].initial = list(self.instance.covered_jurisdictions.all())


class ZoneReassignForm(ScopedChoicesMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    staff = forms.ModelChoiceField(label=_("责任人"), queryset=Staff.objects.none(), required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("调整说明"), max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("staff"):
            raise forms.ValidationError(_("请指定责任单位或责任人。"))
        return data


class UnitTypeForm(forms.ModelForm):
    class Meta:
        model = UnitType
        fields = ["code", "name", "sort", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class JurisdictionLevelForm(forms.ModelForm):
    class Meta:
        model = JurisdictionLevel
        fields = ["code", "name", "rank"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
