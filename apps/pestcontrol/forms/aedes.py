"""Forms of the Aedes household survey: opening a survey, and the risk setting."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedModelForm
from apps.organization.models import Jurisdiction, JurisdictionLevel

from ..models import AedesSetting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def survey_places(user):
    """Communities and the places below them (小区, 网格) inside the user's scope."""
    rank = JurisdictionLevel.objects.filter(code="community").values_list("rank", flat=True).first() or 0
    qs = Jurisdiction.objects.restrict(user, "view").filter(level__rank__gte=rank)
    return qs.select_related("level").order_by("path")


class HouseholdSurveyForm(forms.Form):
    jurisdiction = PlaceField(label=_("调查社区/小区"), queryset=Jurisdiction.objects.none())
    surveyed_on = forms.DateField(label=_("调查日期"), widget=DATE)
    place_name = forms.CharField(label=_("调查地点"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = survey_places(user)
        self.fields["surveyed_on"].initial = timezone.localdate()
        own = getattr(user, "jurisdiction", None)
        if own is not None and self.fields["jurisdiction"].queryset.filter(pk=own.pk).exists():
            self.fields["jurisdiction"].initial = own.pk


class AedesSettingForm(VersionedModelForm):
    class Meta:
        model = AedesSetting
        fields = ["medium_from", "high_from", "severe_from", "alert_level", "is_example"]
