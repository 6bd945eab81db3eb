"""Forms of the operations part: campaigns, the phone operation form with its drug lines,
follow-up checks, products, the banned list, stores and movements."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedModelForm
from apps.organization.models import Jurisdiction
from apps.organization.selectors import jurisdiction_choices
from apps.photos.forms import PhotosField

from ..choices import CampaignKind, ControlMethod, ExecutorKind, MovementKind, OperationKind, PackageUnit, Pest
from ..models import BannedSubstance, FollowUpCheck, Operation, PestCampaign, Product, Store
from ..models.operations import MAX_AREA, MAX_COUNT, MAX_PACKAGE_SIZE, MAX_PACKAGES
from ..services import drugs as drug_services
from ..services.operations import contractor_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NUMBER = {"inputmode": "numeric", "min": "0"}


class NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def usable_products():
    return Product.objects.filter(is_active=True).order_by("name", "id")


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("行动类型"), choices=CampaignKind.choices)
    title = forms.CharField(label=_("行动名称"), max_length=100)
    jurisdiction = NameChoiceField(label=_("组织辖区"), queryset=Jurisdiction.objects.none())
    pests = forms.MultipleChoiceField(
        label=_("防制对象"), choices=Pest.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    unified_at = forms.DateTimeField(
        label=_("统一行动时间"), widget=DATETIME, required=False, help_text=_("统一行动必填：各社区同一时间开展")
    )
    standard = forms.CharField(label=_("统一标准"), max_length=500, required=False)
    product = forms.ModelChoiceField(label=_("统一药物"), queryset=Product.objects.none(), required=False)
    description = forms.CharField(
        label=_("行动方案"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["product"].queryset = usable_products()
        if campaign is not None:
            del self.fields["jurisdiction"]
        elif user.jurisdiction_id and not self.is_bound:
            self.fields["jurisdiction"].initial = user.jurisdiction_id

    def clean(self):
        data = super().clean()
        if data.get("kind") == CampaignKind.UNIFIED and not data.get("unified_at"):
            self.add_error("unified_at", _("统一行动请填写统一行动时间。"))
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return data


class StepForm(forms.Form):
    version = forms.IntegerField(required=False)
    reason = forms.CharField(max_length=200, required=False)


class OperationForm(forms.Form):
    jurisdiction = NameChoiceField(label=_("作业辖区"), queryset=Jurisdiction.objects.none())
    campaign = forms.ModelChoiceField(label=_("所属行动"), queryset=PestCampaign.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("作业类型"), choices=OperationKind.choices, initial=OperationKind.ROUTINE)
    performed_on = forms.DateField(label=_("作业日期"), widget=DATE, required=False)
    started_at = forms.TimeField(label=_("开始时间"), widget=TIME, required=False)
    pests = forms.MultipleChoiceField(label=_("防制对象"), choices=Pest.choices, widget=forms.CheckboxSelectMultiple)
    methods = forms.MultipleChoiceField(
        label=_("防制方法"), choices=ControlMethod.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    place = forms.CharField(label=_("作业地点"), max_length=200, required=False)
    area_m2 = forms.DecimalField(
        label=_("处理面积（平方米）"),
        min_value=0,
        max_value=MAX_AREA,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "any"}),
    )
    households_covered = forms.IntegerField(
        label=_("覆盖住户（户）"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    drains_cleared = forms.IntegerField(
        label=_("清理排污管道（条）"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    channels_cleared = forms.IntegerField(
        label=_("清理沟渠（条）"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    breeding_sites_cleared = forms.IntegerField(
        label=_("清除孳生地（处）"),
        min_value=0,
        max_value=MAX_COUNT,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    executor_kind = forms.ChoiceField(label=_("实施方"), choices=ExecutorKind.choices, initial=ExecutorKind.OWN)
    contractor = NameChoiceField(label=_("防制公司（须有证照）"), queryset=Jurisdiction.objects.none(), required=False)
    team = forms.CharField(label=_("作业队伍"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("作业情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    photos = PhotosField(label=_("照片"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    MAIN = ["jurisdiction", "campaign", "kind", "performed_on", "started_at", "pests", "methods", "place"]
    COUNTS = ["area_m2", "households_covered", "drains_cleared", "channels_cleared", "breeding_sites_cleared"]
    MORE = ["executor_kind", "contractor", "team", "notes"]

    def __init__(self, *args, user, operation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        self.fields["campaign"].queryset = (
            PestCampaign.objects.restrict(user, "view").exclude(status="cancelled").order_by("-start_date")[:100]
        )
        self.fields["campaign"].queryset = PestCampaign.objects.filter(
            pk__in=[c.pk for c in self.fields["campaign"].queryset]
        ).order_by("-start_date")
        self.fields["contractor"].queryset = contractor_choices(user)
        if operation is not None:
            del self.fields["jurisdiction"]
        elif user.jurisdiction_id and not self.is_bound:
            self.fields["jurisdiction"].initial = user.jurisdiction_id
        if not self.is_bound and operation is None:
            self.fields["performed_on"].initial = timezone.localdate()

    def main_fields(self):
        return [self[n] for n in self.MAIN if n in self.fields]

    def count_fields(self):
        return [self[n] for n in self.COUNTS]

    def more_fields(self):
        return [self[n] for n in self.MORE]

    def clean(self):
        data = super().clean()
        for name in self.COUNTS:
            if data.get(name) is None and name in self.fields:
                data[name] = 0
        if data.get("executor_kind") == ExecutorKind.CONTRACTOR and not data.get("contractor"):
            self.add_error("contractor", _("由防制公司实施的作业请选择防制公司。"))
        return data

    def values(self) -> dict:
        names = [n for n in self.MAIN + self.COUNTS + self.MORE if n not in ("jurisdiction",)]
        return {n: self.cleaned_data.get(n) for n in names if n in self.cleaned_data}


class DrugLineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    product = forms.ModelChoiceField(label=_("药物"), queryset=Product.objects.none(), required=False)
    packages = forms.IntegerField(
        label=_("数量（包/瓶）"),
        min_value=1,
        max_value=MAX_PACKAGES,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    package_size = forms.DecimalField(
        label=_("规格（每包/瓶）"),
        min_value=Decimal("0.01"),
        max_value=MAX_PACKAGE_SIZE,
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "any"}),
    )
    package_unit = forms.ChoiceField(label=_("规格单位"), choices=[("", "—"), *PackageUnit.choices], required=False)
    store = forms.ModelChoiceField(label=_("从库房领用"), queryset=Store.objects.none(), required=False)
    batch_no = forms.CharField(label=_("批号"), max_length=40, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("name", "id")
        if user is not None and user.can("pestcontrol.stockmovement", "add"):
            # only stores the user may draw from: a store they may see but not move stock of
            # would refuse the whole form
            self.fields["store"].queryset = Store.objects.restrict(user, "change").filter(is_active=True)
        else:
            del self.fields["store"], self.fields["batch_no"]

    def clean(self):
        data = super().clean()
        product = data.get("product")
        if product is not None and not data.get("packages"):
            self.add_error("packages", _("请填写数量（包/瓶）。"))
        typed = [name for name in ("packages", "package_size", "store", "batch_no") if data.get(name)]
        if product is None and typed:
            # a quantity without its drug would be dropped without a word
            self.add_error("product", _("请选择药物，或清空这一行。"))
        if data.get("store") and not data.get("batch_no"):
            self.add_error("batch_no", _("从库房领用请填写批号。"))
        return data


def drug_formset(data=None, *, user, initial=None, extra=2):
    FormSet = forms.formset_factory(DrugLineForm, extra=extra, max_num=20, validate_max=True)
    return FormSet(data, prefix="drug", initial=initial, form_kwargs={"user": user})


def drug_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("product")]


class FollowUpForm(forms.Form):
    checked_on = forms.DateField(label=_("回访日期"), widget=DATE)
    households_checked = forms.IntegerField(
        label=_("回访户数"), min_value=1, max_value=MAX_COUNT, widget=forms.NumberInput(attrs=NUMBER)
    )
    households_bought = forms.IntegerField(
        label=_("购药户数"), min_value=0, max_value=MAX_COUNT, widget=forms.NumberInput(attrs=NUMBER)
    )
    households_retained = forms.IntegerField(
        label=_("药物保留户数"), min_value=0, max_value=MAX_COUNT, widget=forms.NumberInput(attrs=NUMBER)
    )
    notes = forms.CharField(label=_("说明"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["checked_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        checked = data.get("households_checked")
        for name in ("households_bought", "households_retained"):
            if checked is not None and data.get(name) is not None and data[name] > checked:
                self.add_error(name, _("不能大于回访户数。"))
        return data


class _UserModelForm(VersionedModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class ProductForm(_UserModelForm):
    pests = forms.MultipleChoiceField(
        label=_("防制对象"), choices=Pest.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "active_ingredient",
            "registration_no",
            "formulation",
            "manufacturer",
            "pests",
            "package_size",
            "package_unit",
            "package_name",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        substance = drug_services.banned_match(data.get("name", ""), data.get("active_ingredient", ""))
        if substance is not None:
            raise forms.ValidationError(drug_services.banned_message(substance))
        return data

    def _post_clean(self):
        pass  # the service validates the model (and its uniqueness) once


class BannedForm(_UserModelForm):
    class Meta:
        model = BannedSubstance
        fields = ["name", "aliases", "basis", "is_active"]

    def _post_clean(self):
        pass


class StoreForm(forms.Form):
    jurisdiction = NameChoiceField(label=_("所属辖区"), queryset=Jurisdiction.objects.none())
    name = forms.CharField(label=_("库房名称"), max_length=100)
    keeper = forms.CharField(label=_("保管人"), max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdiction_choices(user=user, levels_below=2)
        if user.jurisdiction_id and not self.is_bound:
            self.fields["jurisdiction"].initial = user.jurisdiction_id


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MovementKind.choices)
    product = forms.ModelChoiceField(label=_("药物"), queryset=Product.objects.none())
    batch_no = forms.CharField(label=_("批号"), max_length=40)
    packages = forms.IntegerField(
        label=_("数量（包/瓶）"), min_value=1, max_value=MAX_PACKAGES, widget=forms.NumberInput(attrs=NUMBER)
    )
    moved_on = forms.DateField(label=_("日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至（采购入库必填）"), widget=DATE, required=False)
    to_jurisdiction = NameChoiceField(label=_("发放对象（辖区）"), queryset=Jurisdiction.objects.none(), required=False)
    household_batch = forms.CharField(label=_("发放对象（住户批次）"), max_length=100, required=False)
    supplier = forms.CharField(label=_("供货单位"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, store, **kwargs):
        super().__init__(*args, **kwargs)
        stocked = drug_services.stocked_products(store).values("pk")
        self.fields["product"].queryset = Product.objects.filter(Q(is_active=True) | Q(pk__in=stocked)).order_by(
            "name", "id"
        )
        self.fields["to_jurisdiction"].queryset = (
            Jurisdiction.objects.restrict(user, "view")
            .filter(path__startswith=store.jurisdiction.path)
            .order_by("path")
        )
        if not self.is_bound:
            self.fields["moved_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("kind") == MovementKind.PURCHASE and not data.get("expires_on"):
            self.add_error("expires_on", _("采购入库请填写有效期。"))
        return data


__all__ = ["FollowUpCheck", "Operation"]
