from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organization.models import Jurisdiction, Staff, Unit
from apps.photos.forms import PhotosField

from . import limits
from .models import Category
from .selectors import category_choices


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def _grouped_categories():
    groups = {}
    for category in category_choices():
        groups.setdefault(category.parent.label, []).append((category.pk, category.label))
    return [("", "---------"), *groups.items()]


class ReportForm(forms.Form):
    category = CategoryChoiceField(label=_("问题类别"), queryset=Category.objects.none())
    photos = PhotosField(label=_("现场照片"), required=False)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=limits.DESCRIPTION
    )
    address = forms.CharField(label=_("地点"), max_length=limits.ADDRESS, required=False)
    lat = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6)
    lng = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6)
    jurisdiction = forms.ModelChoiceField(
        label=_("所在辖区"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        help_text=_("有定位时自动判断，可不选。"),
    )
    not_duplicate = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()
        self.fields["category"].choices = _grouped_categories()
        if user is not None:
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.restrict(user).select_related("level")
            base = user.jurisdiction.depth if user.jurisdiction_id else 0
            self.fields["jurisdiction"].label_from_instance = lambda j: f"{'　' * max(j.depth - base, 0)}{j.name}"

    def clean(self):
        data = super().clean()
        if not data.get("address") and data.get("lat") is None and not data.get("jurisdiction"):
            raise forms.ValidationError(_("请定位、在地图上选点或填写地点。"))
        return data


class HotlineForm(ReportForm):
    hotline_ticket = forms.CharField(label=_("热线工单号"), max_length=limits.HOTLINE_TICKET)
    reporter_phone = forms.CharField(label=_("来电号码"), max_length=limits.REPORTER_PHONE, required=False)
    reporter_name = forms.CharField(label=_("来电人"), max_length=limits.REPORTER_NAME, required=False)
    received_at = forms.DateTimeField(label=_("来电时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class PublicReportForm(ReportForm):
    reporter_phone = forms.CharField(
        label=_("联系电话（选填，仅工作人员可见）"), max_length=limits.REPORTER_PHONE, required=False
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: bots fill it

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("提交失败。"))
        return ""


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=limits.NOTE
    )
    photos = PhotosField(label=_("照片"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    staff = forms.ModelChoiceField(label=_("责任人"), queryset=Staff.objects.none(), required=False)
    deadline_at = forms.DateTimeField(
        label=_("处置时限（留空按类别默认）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(
        label=_("派遣说明"), required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and case is not None:
            self.fields["unit"].queryset = Unit.objects.restrict(user).filter(status="operating").order_by("name")
            self.fields["staff"].queryset = Staff.objects.restrict(user).filter(is_active=True).order_by("name")


class SuspendForm(forms.Form):
    note = forms.CharField(label=_("整改计划"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.NOTE)
    review_on = forms.DateField(label=_("复查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "parent",
            "code",
            "name",
            "kind",
            "deadline_amount",
            "deadline_unit",
            "photo_required",
            "is_active",
            "sort",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Category.objects.filter(parent__isnull=True)
        self.fields["parent"].help_text = _("留空表示大类")
