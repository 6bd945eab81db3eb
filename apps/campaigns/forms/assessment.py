"""Forms of the self-assessment and the gap actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.cases.selectors import category_choices
from apps.organization.models import Jurisdiction

from ..areas import areas_for
from ..choices import AssessmentResult

POINTS = {"max_digits": 6, "decimal_places": 1, "min_value": 0}


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


# Work goes to a community or a 小区, not to a grid or a building.
BELOW_PLACES = ("grid", "building")


class ItemAssessForm(forms.Form):
    """One item's result; `version` is the assessment's version when the page was read (0: none)."""

    result = forms.ChoiceField(label=_("自查结果"), choices=[("", "---------"), *AssessmentResult.choices])
    score = forms.DecimalField(label=_("得分"), required=False, **POINTS)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and not item.points:
            del self.fields["score"]
        elif item is not None:
            self.fields["score"].max_value = item.points
            self.fields["score"].help_text = _("满分{points}分；达标不填为满分，未达标不填为0分").format(
                points=item.points
            )


def areas_of(campaign, user):
    """The areas a gap may go to: the user's area of the campaign and below (no grids, no buildings)."""
    return areas_for(user, campaign, exclude_levels=BELOW_PLACES)


class GapTaskForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("责任区域"), queryset=Jurisdiction.objects.none())
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=date_input())

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = areas_of(campaign, user)


class GapCaseForm(forms.Form):
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=category_choices().none())
    jurisdiction = forms.ModelChoiceField(label=_("问题所在辖区"), queryset=Jurisdiction.objects.none())
    description = forms.CharField(
        label=_("问题描述"), required=False, max_length=800, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A case reported from a gap has no photo: only the categories that need none.
        self.fields["category"].queryset = category_choices().filter(photo_required=False)
        areas = areas_of(campaign, user).exclude(pk=campaign.jurisdiction_id)
        self.fields["jurisdiction"].queryset = areas if areas.exists() else areas_of(campaign, user)
