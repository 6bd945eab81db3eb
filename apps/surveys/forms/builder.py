"""Forms of the questionnaire builder (the services check the rules; the forms check types)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction

from ..choices import AgeGroup, Demographic, QuestionKind, QuestionRole
from ..models import Questionnaire
from ..services.questionnaires import FIELDS


class QuestionnaireForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    jurisdiction = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=_("辖区"), required=False)

    class Meta:
        model = Questionnaire
        fields = FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["jurisdiction"]
        else:
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user).order_by("path")
            self.fields["jurisdiction"].help_text = _("留空为本人所在辖区")
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"q-{name}")


def parse_options(text: str) -> list[dict]:
    """One option per line; a leading * marks the correct (knowledge) or healthy (behaviour) one."""
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        marked = line.startswith("*") or line.startswith("＊")
        rows.append({"text": line.lstrip("*＊").strip(), "marked": marked})
    return rows


def options_text(question) -> str:
    lines = []
    for o in question.options.all():
        mark = "*" if (o.is_correct or o.is_healthy) else ""
        lines.append(f"{mark}{o.text}")
    return "\n".join(lines)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("题目"), max_length=300)
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices, initial=QuestionKind.SINGLE)
    role = forms.ChoiceField(label=_("用途"), choices=QuestionRole.choices, initial=QuestionRole.GENERAL)
    demographic = forms.ChoiceField(label=_("基本情况项"), choices=[("", "—"), *Demographic.choices], required=False)
    options = forms.CharField(
        label=_("选项"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个选项；知识题的正确答案、行为题的健康选项在行首加 *。满意度量表和基本情况题自动生成选项。"),
    )
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    help_text = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("kind", "role", "demographic"):
                del self.fields[name]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"question-{name}")


class SamplingForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = list(communities)
        for c in self.communities:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=c.name,
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.NumberInput(attrs={"data-testid": f"target-{c.pk}", "inputmode": "numeric"}),
            )
        for value, label in AgeGroup.choices:
            self.fields[f"a{value}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.NumberInput(attrs={"data-testid": f"quota-{value}", "inputmode": "numeric"}),
            )

    def community_fields(self):
        return [self[f"c{c.pk}"] for c in self.communities]

    def age_fields(self):
        return [self[f"a{value}"] for value, _label in AgeGroup.choices]

    def targets(self):
        return {c: self.cleaned_data.get(f"c{c.pk}") for c in self.communities}

    def quotas(self):
        return {value: self.cleaned_data.get(f"a{value}") for value, _label in AgeGroup.choices}
