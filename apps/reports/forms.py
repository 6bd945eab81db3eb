"""Forms of the generated documents: a new report, its header, a part's text, a step (version)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Language, ReportKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("辖区"))
    kind = forms.ChoiceField(label=_("文种"), choices=ReportKind.choices)
    period_start = forms.DateField(label=_("统计起始日"), widget=DATE, required=False)
    period_end = forms.DateField(label=_("统计截止日"), widget=DATE, required=False)
    addressee = forms.CharField(
        label=_("主送机关"), max_length=100, required=False, help_text=_("工作汇报必填，如“区爱卫办”。")
    )
    doc_number = forms.CharField(label=_("发文字号"), max_length=60, required=False)
    office = forms.CharField(label=_("落款单位"), max_length=100, required=False, help_text=_("空白时使用辖区名称。"))
    issued_on = forms.DateField(label=_("成文日期"), widget=DATE, required=False)
    number_style = forms.BooleanField(
        label=_("概数写法"), required=False, help_text=_("如“150余家”“近10吨”，精确数字保留在链接上。")
    )

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions


class HeaderForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    addressee = forms.CharField(label=_("主送机关"), max_length=100, required=False)
    doc_number = forms.CharField(label=_("发文字号"), max_length=60, required=False)
    office = forms.CharField(label=_("落款单位"), max_length=100)
    issued_on = forms.DateField(label=_("成文日期"), widget=DATE, required=False)
    number_style = forms.BooleanField(label=_("概数写法"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartForm(forms.Form):
    text = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=_("花括号中的是系统数字，如 {按期结案率}：重新生成时按记录更新；可删除，也可按名称添加。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StepForm(forms.Form):
    version = forms.IntegerField()


class PdfForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
