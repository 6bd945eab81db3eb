"""Pages of the operations part: operations (list with totals, phone form, detail with drug
lines and follow-ups), campaigns (list, form, detail per community with totals and steps), the
drug ledger (products, banned list, stores with balances and expiry, movements)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.selectors import audit_events_for
from apps.core.views_base import FilteredListView, ServiceFormView, form_error_messages, get_scoped_or_404, requires
from apps.organization.models import Jurisdiction
from apps.photos.views import photo_response

from ..choices import CampaignKind, CampaignStatus, MovementKind, OperationKind, Pest
from ..forms.operations import (
    BannedForm,
    CampaignForm,
    FollowUpForm,
    MovementForm,
    OperationForm,
    ProductForm,
    StepForm,
    StoreForm,
    drug_formset,
    drug_rows,
)
from ..models import BannedSubstance, FollowUpCheck, Operation, OperationPhoto, PestCampaign, Product, Store
from ..selectors import operations as selectors
from ..services import drugs as drug_services
from ..services import operations as services
from ..services.operations import CAMPAIGN_REASON_REQUIRED, CAMPAIGN_WORKFLOW, RECORDERS, owns


def _validation_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _deny(call):
    try:
        return call()
    except PermissionDeniedForRole:
        raise PermissionDenied from None


# Operations ---------------------------------------------------------------------------------


class OperationListView(FilteredListView):
    model = Operation
    template_name = "pestcontrol/operations/operation_list.html"
    export_source = "pestcontrol_operations"

    def get_rows(self):
        self.totals = selectors.list_totals(user=self.request.user, filters=self.get_filters())
        return selectors.operation_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        user = self.request.user
        return {
            "tab": "operations",
            "totals": getattr(self, "totals", None),
            "kinds": OperationKind.choices,
            "pests": Pest.choices,
            "jurisdictions": Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "campaigns": PestCampaign.objects.restrict(user).order_by("-start_date")[:100],
            "can_add": user.role in RECORDERS and user.can("pestcontrol.operation", "add"),
            "can_campaign": user.can("pestcontrol.pestcampaign", "add"),
        }


def _operation(request, pk, action="view") -> Operation:
    return get_scoped_or_404(Operation, request.user, pk, action, queryset=selectors.operation_detail_qs())


def _operation_form_page(request, form, formset, operation=None, status=200):
    context = {
        "form": form,
        "formset": formset,
        "operation": operation,
        "tab": "operations",
        "cancel_url": operation.get_absolute_url() if operation else reverse("pestcontrol:operation_list"),
        "products": {
            p.pk: {"size": f"{p.package_size.normalize():f}", "unit": p.package_unit} for p in Product.objects.all()
        },
    }
    return TemplateResponse(request, "pestcontrol/operations/operation_form.html", context, status=status)


@requires("pestcontrol.operation", "add")
def operation_create(request):
    """作业登记 on a phone: place, date, pests and methods, counts, drug lines (packages × size,
    the kg shown as computed), photos. `?campaign=` preselects a campaign (a 统一行动's time and
    drug come with it)."""
    user = request.user
    if user.role not in RECORDERS:
        raise PermissionDenied
    if request.method == "POST":
        form = OperationForm(request.POST, request.FILES, user=user)
        formset = drug_formset(request.POST, user=user, extra=1)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                operation = services.operation_create(
                    actor=user,
                    jurisdiction=data["jurisdiction"],
                    drugs=drug_rows(formset),
                    photos=data["photos"],
                    **{
                        k: v
                        for k, v in form.values().items()
                        if not (k in ("performed_on", "started_at") and v is None)
                    },
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:  # a model validator the form did not mirror: no 500
                _validation_to_form(form, error)
            else:
                messages.success(request, _("作业已登记。"))
                return redirect(operation)
        return _operation_form_page(request, form, formset, status=400)
    initial, lines = {}, None
    campaign_id = request.GET.get("campaign", "")
    if campaign_id.isascii() and campaign_id.isdigit() and len(campaign_id) < 10:
        campaign = PestCampaign.objects.restrict(user).filter(pk=int(campaign_id)).first()
        if campaign is not None:
            initial = {"campaign": campaign.pk, "kind": OperationKind.CAMPAIGN, "pests": campaign.pests}
            unified = services.unified_defaults(campaign)
            if unified:
                initial.update(performed_on=unified["performed_on"], started_at=unified["started_at"])
                if unified["product"] is not None:
                    p = unified["product"]
                    lines = [{"product": p.pk, "package_size": p.package_size, "package_unit": p.package_unit}]
    form = OperationForm(user=user, initial=initial)
    return _operation_form_page(request, form, drug_formset(user=user, initial=lines, extra=1))


@requires("pestcontrol.operation", "view")
def operation_edit(request, pk):
    user = request.user
    operation = _operation(request, pk)
    if not services.may_edit_operation(user, operation):
        raise PermissionDenied
    if request.method == "POST":
        form = OperationForm(request.POST, request.FILES, user=user, operation=operation)
        formset = drug_formset(request.POST, user=user, extra=1)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                services.operation_update(
                    actor=user,
                    operation=operation,
                    expected_version=data.get("version"),
                    changes={k: v for k, v in form.values().items() if k != "photos"},
                    drugs=drug_rows(formset),
                    photos=data["photos"],
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:  # a model validator the form did not mirror: no 500
                _validation_to_form(form, error)
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(operation)
        return _operation_form_page(request, form, formset, operation=operation, status=400)
    initial = {name: getattr(operation, name) for name in services.OPERATION_FIELDS}
    initial["version"] = operation.version
    lines = [
        {
            "id": d.pk,
            "product": d.product_id,
            "packages": d.packages,
            "package_size": d.package_size,
            "package_unit": d.package_unit,
        }
        for d in operation.drugs.all()
    ]
    form = OperationForm(user=user, operation=operation, initial=initial)
    return _operation_form_page(request, form, drug_formset(user=user, initial=lines, extra=1), operation=operation)


@requires("pestcontrol.operation")
def operation_detail(request, pk):
    user = request.user
    operation = _operation(request, pk)
    checks = [selectors.followup_view(c) for c in operation.follow_ups.all()]
    drugs = list(operation.drugs.all())
    can_follow = (
        user.can("pestcontrol.followupcheck", "add")
        and Jurisdiction.objects.restrict(user).filter(pk=operation.jurisdiction_id).exists()
    )
    context = {
        "operation": operation,
        "tab": "operations",
        "drugs": drugs,
        **selectors.line_totals(drugs),
        "checks": checks,
        "rates": selectors.operation_totals(Operation.objects.filter(pk=operation.pk)),
        "can_edit": services.may_edit_operation(user, operation),
        "followup_form": FollowUpForm() if can_follow else None,
        "can_change_checks": user.can("pestcontrol.followupcheck", "change"),
        "audit_events": audit_events_for(user=user, obj=operation).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "pestcontrol/operations/operation_detail.html", context)


@requires("pestcontrol.operation")
def operation_photo(request, pk, size):
    photo = OperationPhoto.objects.filter(pk=pk).first()
    if photo is None or size not in ("thumb", "full"):
        raise Http404
    _operation(request, photo.operation_id)
    return photo_response(photo, size)


@require_POST
@requires("pestcontrol.followupcheck", "add")
def followup_create(request, pk):
    operation = _operation(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(operation)
    try:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.followup_create(actor=request.user, operation=operation, **data)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("回访已登记。"))
    return redirect(operation)


class FollowUpEditView(ServiceFormView):
    model = FollowUpCheck
    action = "change"
    form_class = FollowUpForm
    title = gettext_lazy("修改回访")

    def get_object(self):
        if not hasattr(self, "_object"):
            check = FollowUpCheck.objects.select_related("operation__jurisdiction").filter(pk=self.kwargs["pk"]).first()
            if check is None:
                raise Http404
            _operation(self.request, check.operation_id)
            self._object = check
        return self._object

    def get_initial(self):
        c = self.get_object()
        names = ("checked_on", "households_checked", "households_bought", "households_retained", "notes", "version")
        return {n: getattr(c, n) for n in names}

    def get_context(self, form):
        return {**super().get_context(form), "object": self.get_object().operation}

    def cancel_url(self):
        return self.get_object().operation.get_absolute_url()

    def perform(self, form, data):
        return _deny(
            lambda: services.followup_update(
                actor=self.request.user,
                check=self.get_object(),
                changes={k: v for k, v in data.items() if k != "version"},
                expected_version=data.get("version"),
            )
        )

    def success_url(self, result):
        return result.operation.get_absolute_url()


# Campaigns ----------------------------------------------------------------------------------


class CampaignListView(FilteredListView):
    model = PestCampaign
    template_name = "pestcontrol/operations/campaign_list.html"
    export_source = ""

    def get_rows(self):
        return selectors.campaign_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        user = self.request.user
        return {
            "tab": "operations",
            "kinds": CampaignKind.choices,
            "statuses": CampaignStatus.choices,
            "jurisdictions": Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "can_add": user.can("pestcontrol.pestcampaign", "add"),
        }


def _campaign(request, pk, action="view") -> PestCampaign:
    return get_scoped_or_404(PestCampaign, request.user, pk, action, queryset=selectors.campaign_detail_qs())


def _campaign_values(data) -> dict:
    names = ["kind", "title", "pests", "start_date", "end_date", "unified_at", "standard", "product", "description"]
    return {n: data.get(n) for n in names if n in data}


def _campaign_form_page(request, form, campaign=None, status=200):
    context = {
        "form": form,
        "title": _("修改行动") if campaign else _("新建除四害行动"),
        "object": campaign,
        "cancel_url": campaign.get_absolute_url() if campaign else reverse("pestcontrol:campaign_list"),
        "tab": "operations",
    }
    return TemplateResponse(request, "pestcontrol/operations/form.html", context, status=status)


@requires("pestcontrol.pestcampaign", "add")
def campaign_create(request):
    user = request.user
    form = CampaignForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    actor=user, jurisdiction=data["jurisdiction"], **_campaign_values(data)
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:  # a model validator the form did not mirror: no 500
                _validation_to_form(form, error)
            else:
                messages.success(request, _("行动已登记。"))
                return redirect(campaign)
        return _campaign_form_page(request, form, status=400)
    return _campaign_form_page(request, form)


@requires("pestcontrol.pestcampaign", "change")
def campaign_edit(request, pk):
    user = request.user
    campaign = _campaign(request, pk)
    if not owns(campaign, user) or campaign.status == CampaignStatus.CANCELLED:
        raise PermissionDenied
    if request.method == "POST":
        form = CampaignForm(request.POST, user=user, campaign=campaign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.campaign_update(
                    actor=user, campaign=campaign, changes=_campaign_values(data), expected_version=data.get("version")
                )
            except PermissionDeniedForRole:
                raise PermissionDenied from None
            except DomainError as error:
                form.add_error(None, str(error.message))
            except ValidationError as error:  # a model validator the form did not mirror: no 500
                _validation_to_form(form, error)
            else:
                messages.success(request, _("修改已保存。"))
                return redirect(campaign)
        return _campaign_form_page(request, form, campaign, status=400)
    initial = {n: getattr(campaign, n) for n in services.CAMPAIGN_FIELDS}
    if campaign.unified_at:
        initial["unified_at"] = timezone.localtime(campaign.unified_at).replace(tzinfo=None)
    initial["version"] = campaign.version
    return _campaign_form_page(request, CampaignForm(user=user, campaign=campaign, initial=initial), campaign)


@requires("pestcontrol.pestcampaign")
def campaign_detail(request, pk):
    user = request.user
    campaign = _campaign(request, pk)
    rows = selectors.campaign_rows(user=user, campaign=campaign)
    context = {
        "campaign": campaign,
        "tab": "operations",
        "rows": rows,
        "missing": [r["place"] for r in rows if r["missing"]],
        "totals": selectors.campaign_totals(user=user, campaign=campaign),
        "steps": CAMPAIGN_WORKFLOW.available(campaign, user),
        "reason_required": CAMPAIGN_REASON_REQUIRED,
        "can_edit": owns(campaign, user)
        and user.can("pestcontrol.pestcampaign", "change")
        and campaign.status != CampaignStatus.CANCELLED,
        "can_record": user.role in RECORDERS
        and user.can("pestcontrol.operation", "add")
        and campaign.status != CampaignStatus.CANCELLED,
        "unified": services.unified_defaults(campaign),
        "audit_events": audit_events_for(user=user, obj=campaign).order_by("-occurred_at")[:30],
    }
    return TemplateResponse(request, "pestcontrol/operations/campaign_detail.html", context)


@require_POST
@requires("pestcontrol.pestcampaign", "view")
def campaign_transition(request, pk, name):
    campaign = _campaign(request, pk)
    if name not in CAMPAIGN_WORKFLOW:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(campaign)
    try:
        services.campaign_transition(
            actor=request.user,
            campaign=campaign,
            name=name,
            expected_version=form.cleaned_data.get("version"),
            reason=form.cleaned_data.get("reason", ""),
        )
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已{action}。").format(action=CAMPAIGN_WORKFLOW[name].label))
    return redirect(campaign)


# Products and the banned list ----------------------------------------------------------------


@requires("pestcontrol.product")
def product_list(request):
    user = request.user
    context = {
        "tab": "drugs",
        "products": Product.objects.order_by("-is_active", "name", "id"),
        "can_add": user.can("pestcontrol.product", "add"),
        "can_change": user.can("pestcontrol.product", "change"),
    }
    return TemplateResponse(request, "pestcontrol/drugs/product_list.html", context)


class ProductCreateView(ServiceFormView):
    model = Product
    action = "add"
    form_class = ProductForm
    title = gettext_lazy("新增药物")
    success_message = gettext_lazy("药物已加入目录。")
    template_name = "pestcontrol/operations/form.html"

    def get_context(self, form):
        return {**super().get_context(form), "tab": "drugs"}

    def perform(self, form, data):
        fields = {n: data[n] for n in ProductForm.Meta.fields if n in data}
        return _deny(lambda: drug_services.product_create(actor=self.request.user, **fields))

    def success_url(self, result):
        return reverse("pestcontrol:product_list")


class ProductEditView(ProductCreateView):
    action = "change"
    title = gettext_lazy("修改药物")
    success_message = gettext_lazy("修改已保存。")

    def perform(self, form, data):
        return _deny(
            lambda: drug_services.product_update(
                actor=self.request.user,
                product=self.get_object(),
                changes=form.changes(),
                expected_version=data.get("version"),
            )
        )


@requires("pestcontrol.bannedsubstance")
def banned_list(request):
    user = request.user
    context = {
        "tab": "drugs",
        "substances": BannedSubstance.objects.order_by("-is_active", "name"),
        "can_add": user.can("pestcontrol.bannedsubstance", "add"),
        "can_change": user.can("pestcontrol.bannedsubstance", "change"),
    }
    return TemplateResponse(request, "pestcontrol/drugs/banned_list.html", context)


class BannedCreateView(ServiceFormView):
    model = BannedSubstance
    action = "add"
    form_class = BannedForm
    title = gettext_lazy("新增禁用药物")
    success_message = gettext_lazy("已加入禁用药物名单。")
    template_name = "pestcontrol/operations/form.html"

    def get_context(self, form):
        return {**super().get_context(form), "tab": "drugs"}

    def perform(self, form, data):
        return _deny(
            lambda: drug_services.banned_create(
                actor=self.request.user, name=data["name"], aliases=data.get("aliases", ""), basis=data.get("basis", "")
            )
        )

    def success_url(self, result):
        return reverse("pestcontrol:banned_list")


class BannedEditView(BannedCreateView):
    action = "change"
    title = gettext_lazy("修改禁用药物")
    success_message = gettext_lazy("修改已保存。")

    def perform(self, form, data):
        return _deny(
            lambda: drug_services.banned_update(
                actor=self.request.user,
                substance=self.get_object(),
                changes=form.changes(),
                expected_version=data.get("version"),
            )
        )


# Stores and movements ------------------------------------------------------------------------


@requires("pestcontrol.store")
def store_list(request):
    user = request.user
    stores = list(selectors.store_list(user=user))
    by_store = drug_services.balances_by_store(stores)
    for store in stores:
        store.rows = by_store.get(store.pk, [])
        store.expiring = sum(1 for r in store.rows if r["expiring"])
        store.expired = sum(1 for r in store.rows if r["expired"])
    context = {
        "tab": "drugs",
        "stores": stores,
        "can_add": user.can("pestcontrol.store", "add"),
        "warn_days": drug_services.settings.PEST_STOCK_EXPIRY_WARN_DAYS,
    }
    return TemplateResponse(request, "pestcontrol/drugs/store_list.html", context)


class StoreCreateView(ServiceFormView):
    model = Store
    action = "add"
    form_class = StoreForm
    title = gettext_lazy("新建药品库房")
    success_message = gettext_lazy("库房已建立。")
    template_name = "pestcontrol/operations/form.html"

    def get_context(self, form):
        return {**super().get_context(form), "tab": "drugs"}

    def perform(self, form, data):
        return _deny(lambda: drug_services.store_create(actor=self.request.user, **data))


def _store(request, pk, action="view") -> Store:
    return get_scoped_or_404(Store, request.user, pk, action, queryset=Store.objects.select_related("jurisdiction"))


class StoreLedgerView(FilteredListView):
    model = Store
    template_name = "pestcontrol/drugs/store_detail.html"
    export_source = "pestcontrol_movements"

    def get_filters(self):
        filters = super().get_filters()
        for name in ("batch", "window"):  # the expiry notice's link: shown, not filtered
            filters.pop(name, None)
        filters["store"] = str(self.kwargs["pk"])
        return filters

    def get_rows(self):
        self.store = _store(self.request, self.kwargs["pk"])
        return selectors.movement_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        user = self.request.user
        store = getattr(self, "store", None) or _store(self.request, self.kwargs["pk"])
        may_move = user.can("pestcontrol.stockmovement", "add") and store.is_active
        return {
            "tab": "drugs",
            "store": store,
            "balances": drug_services.balances(store),
            "warn_days": drug_services.settings.PEST_STOCK_EXPIRY_WARN_DAYS,
            "kinds": MovementKind.choices,
            "products": Product.objects.order_by("name"),
            "movement_form": MovementForm(user=user, store=store) if may_move else None,
            "highlight": self.request.GET.get("batch", ""),
        }


@require_POST
@requires("pestcontrol.stockmovement", "add")
def movement_create(request, pk):
    user = request.user
    store = _store(request, pk)
    form = MovementForm(request.POST, user=user, store=store)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(store)
    try:
        drug_services.movement_create(actor=user, store=store, **form.cleaned_data)
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("出入库已登记。"))
    return redirect(store)
