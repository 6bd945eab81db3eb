"""Forms of the evidence ledger: rules, uploads, superseding and linking a record by hand."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.evidence import sources
from apps.organization.models import Jurisdiction
from apps.standards.models import EvidenceRequirement, StandardItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _source_choices():
    return [("", "—")] + [(key, str(source.label)) for key, source in sorted(sources().items())]


class RuleForm(forms.Form):
    """A rule: source records (narrowed by category/tag) linked to an item of the campaign."""

    item = forms.ModelChoiceField(label=_("标准小项"), queryset=StandardItem.objects.none())
    requirement = forms.ModelChoiceField(
        label=_("资料要求"), queryset=EvidenceRequirement.objects.none(), required=False
    )
    source = forms.ChoiceField(label=_("数据来源"))
    category = forms.ChoiceField(label=_("类别"), required=False)
    tag = forms.ChoiceField(label=_("标签"), required=False)
    starts_on = forms.DateField(label=_("起始日期"), required=False, widget=DATE, help_text=_("留空则按项目开始日期"))
    ends_on = forms.DateField(label=_("截止日期"), required=False, widget=DATE, help_text=_("留空则按项目计划验收日期"))
    jurisdiction = forms.ModelChoiceField(
        label=_("辖区"), queryset=Jurisdiction.objects.none(), required=False, help_text=_("留空则为整个项目辖区")
    )

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = StandardItem.objects.filter(version_id=campaign.standard_version_id).order_by(
            "section__sort", "sort", "id"
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.text[:40]}"
        self.fields["requirement"].queryset = EvidenceRequirement.objects.filter(
            item__version_id=campaign.standard_version_id
        ).select_related("item")
        self.fields["requirement"].label_from_instance = lambda req: f"{req.item.code} {req.name}"
        self.fields["source"].choices = _source_choices()
        categories, tags = [("", "—")], [("", "—")]
        for _key, source in sorted(sources().items()):
            categories += [(value, f"{source.label} · {label}") for value, label in source.categories()]
            tags += [(value, f"{source.label} · {label}") for value, label in source.tags()]
        self.fields["category"].choices = categories
        self.fields["tag"].choices = tags
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user, "view").filter(
            path__within=campaign.jurisdiction.path
        )


class UploadForm(forms.Form):
    """One file filed under an item (against one of its requirements)."""

    item = forms.ModelChoiceField(label=_("标准小项"), queryset=StandardItem.objects.none())
    requirement = forms.ModelChoiceField(
        label=_("资料要求"), queryset=EvidenceRequirement.objects.none(), required=False
    )
    title = forms.CharField(label=_("资料名称"), max_length=200)
    occurred_on = forms.DateField(label=_("资料日期"), initial=timezone.localdate)
    file = forms.FileField(
        label=_("文件"), help_text=_("PDF、Word（.docx/.doc）、Excel（.xlsx/.xls）或 JPEG、PNG 照片")
    )

    def __init__(self, *args, campaign, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_item = item
        items = StandardItem.objects.filter(version_id=campaign.standard_version_id)
        if item is not None:
            items = items.filter(pk=item.pk)
            del self.fields["item"]
        else:
            self.fields["item"].queryset = items.order_by("section__sort", "sort", "id")
            self.fields["item"].label_from_instance = lambda it: f"{it.code} {it.text[:40]}"
        reqs = EvidenceRequirement.objects.filter(item__in=items).select_related("item")
        self.fields["requirement"].queryset = reqs
        self.fields["requirement"].label_from_instance = lambda req: f"{req.item.code} {req.name}"

    def clean(self):
        data = super().clean()
        if self.fixed_item is not None:
            data["item"] = self.fixed_item
        req, item = data.get("requirement"), data.get("item")
        if req is not None and item is not None and req.item_id != item.pk:
            self.add_error("requirement", _("资料要求不属于该标准小项。"))
        return data


class SupersedeForm(forms.Form):
    file = forms.FileField(label=_("新文件"))
    title = forms.CharField(label=_("资料名称"), max_length=200, required=False)
    occurred_on = forms.DateField(label=_("资料日期"), required=False)


class LinkForm(forms.Form):
    """Pick a record of a source (the newest of the user's area in the campaign's period)."""

    source = forms.ChoiceField(label=_("数据来源"))
    object_id = forms.CharField(label=_("记录"), max_length=64)
    requirement = forms.ModelChoiceField(
        label=_("资料要求"), queryset=EvidenceRequirement.objects.none(), required=False
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = _source_choices()
        self.fields["requirement"].queryset = EvidenceRequirement.objects.filter(item=item)
