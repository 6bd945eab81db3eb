"""Forms of the standards pages. Content forms carry the standard's `version` (optimistic lock)
as it was when the page was opened; the services decide whether the edit makes a new version."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import figures, sources
from apps.core.forms import VersionedModelForm
from apps.core.units import unit_text

from .models import EvidenceRequirement, Standard, StandardIndicator, StandardItem, StandardSection


class StandardForm(VersionedModelForm):
    class Meta:
        model = Standard
        fields = ["name", "code", "kind", "issuer", "year", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code": _("字母、数字、- 或 _，用于导入时指明标准，保存后不能修改")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class ContentForm(forms.ModelForm):
    """A section, item, indicator or requirement form; `version` is the standard's lock."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.fields["version"].initial = standard.version

    def _post_clean(self):
        # The services validate (and find the row again in a new version when one is made):
        # the form only parses, so the instance shown is never changed in memory.
        pass


class SectionForm(ContentForm):
    class Meta:
        model = StandardSection
        fields = ["code", "name", "is_example"]
        help_texts = {"code": _("如：一、1")}


class ItemForm(ContentForm):
    class Meta:
        model = StandardItem
        fields = ["section", "code", "text", "method", "kind", "points", "evidence_note", "is_example"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 2}),
            "evidence_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"points": _("只有计分项填写分值")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = StandardSection.objects.filter(version=self.standard.current_version)
        self.fields["section"].empty_label = None


def _with_current(choices: list[tuple[str, str]], current: str) -> list[tuple[str, str]]:
    """The registered keys, plus the current value when no app registers it (yet)."""
    if current and current not in {key for key, _label in choices}:
        choices = [*choices, (current, current)]
    return [("", _("无（手工填写）")), *choices]


class IndicatorForm(ContentForm):
    figure_key = forms.ChoiceField(label=_("系统数据"), required=False)

    class Meta:
        model = StandardIndicator
        fields = ["name", "measure", "comparator", "threshold", "unit", "figure_key", "is_example"]
        help_texts = {"threshold": _("比率填写 0 到 100 之间的数"), "unit": _("如 %、分、个")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registered = [
            (key, gettext("{label}（{unit}）").format(label=figure.label, unit=unit_text(figure.unit)))
            for key, figure in figures().items()
        ]
        self.fields["figure_key"].choices = _with_current(registered, self.instance.figure_key)
        self.fields["figure_key"].help_text = _("自查时由系统从该数据自动填入实际值")


class RequirementForm(ContentForm):
    source = forms.ChoiceField(label=_("自动关联数据"), required=False)

    class Meta:
        model = EvidenceRequirement
        fields = ["name", "min_count", "source", "category", "tag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registered = [(key, str(source.label)) for key, source in sources().items()]
        self.fields["source"].choices = _with_current(registered, self.instance.source)
        self.fields["source"].help_text = _("台账按此自动关联其他模块的记录；不选则手工上传")
