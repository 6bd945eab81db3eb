from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.cases.selectors import category_choices
from apps.core.filters import ScopedModelChoiceField, StrictChoiceField, StrictDateField
from apps.core.forms import VersionedModelForm
from apps.core.readable import qualified
from apps.organization.forms import ScopedChoicesMixin
from apps.organization.models import Jurisdiction, Unit, UnitType
from apps.photos.forms import PhotosField

from .choices import PeriodKind
from .models import ChecklistItem, ChecklistTemplate, InspectionPlan, RankingScheme
from .services import INSPECTORS
from .workflow import APPEAL_WORKFLOW

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TemplateForm(ScopedChoicesMixin, VersionedModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "code", "description", "target_kind", "unit_types", "level", "is_active"]
        widgets = {"unit_types": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_types"].queryset = UnitType.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["code"].disabled = True


class SectionForm(forms.Form):
    name = forms.CharField(label=_("大类名称"), max_length=100)


class ItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the template's, when the page was opened

    class Meta:
        model = ChecklistItem
        fields = [
            "section",
            "code",
            "text",
            "max_score",
            "rule",
            "deduction",
            "cap",
            "photo_required",
            "veto",
            "category",
        ]

    def __init__(self, *args, version, template_version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = template_version
        self.fields["section"].queryset = version.sections.all()
        self.fields["section"].empty_label = None
        self.fields["category"].queryset = category_choices()
        self.fields["category"].required = False
        self.fields["category"].help_text = _("扣分后生成的整改案件类别；不选则为“检查扣分问题”")


class PlanForm(ScopedChoicesMixin, VersionedModelForm):
    class Meta:
        model = InspectionPlan
        fields = [
            "name",
            "jurisdiction",
            "template",
            "kind",
            "unit_types",
            "sample_mode",
            "sample_count",
            "sample_share",
            "inspectors",
            "is_active",
        ]
        widgets = {"unit_types": forms.CheckboxSelectMultiple, "inspectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(is_active=True)
        self.fields["unit_types"].queryset = UnitType.objects.filter(is_active=True)
        self.fields["unit_types"].help_text = _("不选则按检查表的适用单位类型")
        self.fields["inspectors"].queryset = (
            User.objects.restrict(self.user, "view").filter(is_active=True, role__in=INSPECTORS).order_by("role", "id")
        )
        self.fields["inspectors"].label_from_instance = lambda u: qualified(u.display_name, u.get_role_display())


class RoundForm(forms.Form):
    period_start = forms.DateField(label=_("检查期开始"), widget=DATE)
    period_end = forms.DateField(label=_("检查期结束"), widget=DATE)
    deadline = forms.DateField(label=_("完成期限"), widget=DATE)
    seed = forms.IntegerField(
        label=_("抽样种子"),
        required=False,
        min_value=0,
        max_value=10**12,
        help_text=_("留空则随机生成并记录；填写相同的种子可重现同样的抽样结果"),
    )

    def clean(self):
        data = super().clean()
        start, end, deadline = data.get("period_start"), data.get("period_end"), data.get("deadline")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        if start and deadline and deadline < start:
            self.add_error("deadline", _("完成期限不能早于开始日期。"))
        return data


class AdHocInspectionForm(forms.Form):
    template = forms.ModelChoiceField(label=_("检查表"), queryset=ChecklistTemplate.objects.none())
    unit = forms.ModelChoiceField(label=_("被检查单位"), queryset=Unit.objects.none(), required=False)
    jurisdiction = forms.ModelChoiceField(
        label=_("被检查辖区（小区等）"), queryset=Jurisdiction.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(
            is_active=True, current_version__isnull=False
        )
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").order_by("name")
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user, "view").filter(depth__gte=3)


class SubmitForm(forms.Form):
    representative_name = forms.CharField(label=_("被检查方代表姓名"), max_length=50, required=False)
    representative_confirmed = forms.BooleanField(label=_("代表已当场确认检查结果"), required=False)
    summary = forms.CharField(label=_("检查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    open_cases = forms.BooleanField(label=_("为扣分项生成整改案件"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CorrectionForm(forms.Form):
    occurrences = forms.IntegerField(label=_("问题处数"), min_value=0, max_value=999, required=False, initial=0)
    passed = forms.BooleanField(label=_("合格"), required=False)
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("证据照片"), required=False)


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[(t.name, t.label) for t in APPEAL_WORKFLOW.transitions],  # the steps of the table
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RankingFilterForm(forms.Form):
    # Strict fields (apps/core/filters.py): a refused value reads 「评比范围」的值无效：未知的值.
    jurisdiction = ScopedModelChoiceField(label=_("评比范围"), queryset=Jurisdiction.objects.none(), required=False)
    period_kind = StrictChoiceField(label=_("评比周期"), choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    day = StrictDateField(label=_("周期内任一天"), widget=DATE, required=False)
    level = StrictChoiceField(label=_("评比对象"), choices=())

    def __init__(self, *args, user, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user, "view").filter(depth__lte=3)
        self.fields["jurisdiction"].label_from_instance = lambda j: f"{'　' * j.depth}{j.name}"
        self.fields["jurisdiction"].empty_label = _("本辖区")
        self.fields["level"].choices = levels


class PublishForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则自动生成"))
    number = forms.CharField(label=_("文号"), max_length=60, required=False)
    issuer = forms.CharField(label=_("发文单位"), max_length=100, required=False)
    requirements = forms.CharField(
        label=_("整改要求"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写入通报的整改要求，例如整改期限和复查安排"),
    )
    is_public = forms.BooleanField(label=_("公布上墙（辖区内单位可见）"), required=False, initial=True)


class SchemeForm(VersionedModelForm):
    class Meta:
        model = RankingScheme
        fields = [
            "weight_inspection",
            "weight_closure",
            "weight_recurrence",
            "red_flags",
            "yellow_flags",
            "appeal_days",
        ]
