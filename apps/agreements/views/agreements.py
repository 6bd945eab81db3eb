"""Views: the agreement list (with .xlsx), an agreement's page, signing on a phone, refusal,
renewal, cancellation, the .docx, the 责任公示牌 and the signed page's photos and scans."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import personal
from apps.core.audit import audit_record
from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.views_base import FilteredListView, form_error_messages, get_scoped_or_404, requires
from apps.documents.docx import docx_response
from apps.photos.views import photo_response

from ..choices import AgreementStatus
from ..documents import agreement_docx, board_docx
from ..filters import standing_choices, type_choices
from ..forms import RefuseForm, RenewForm, SignForm, StepForm
from ..models import Agreement, AgreementPhoto, AgreementScan
from ..selectors import agreement_detail_queryset, agreement_list
from ..services import agreements as services
from ..workflow import AGREEMENT_WORKFLOW

AGREEMENT = "agreements.agreement"


class AgreementListView(FilteredListView):
    model = Agreement
    template_name = "agreements/agreement_list.html"
    export_source = "agreements"

    def get_rows(self):
        return agreement_list(user=self.request.user, filters=self.request.GET)

    def get_extra_context(self):
        return {
            "types": type_choices(),
            "statuses": AgreementStatus.choices,
            "standings": standing_choices(),
            "today": timezone.localdate(),
        }


def _agreement(request, pk, action="view") -> Agreement:
    return get_scoped_or_404(Agreement, request.user, pk, action, queryset=agreement_detail_queryset())


def _related_links(agreement: Agreement, user) -> list[tuple[str, str]]:
    """Pages about the party the user may open, by URL and query string only (no import of those apps)."""
    links = []
    unit = agreement.party_unit
    if unit is None:
        return links
    for label, name, query, permission in (
        (_("该单位的案件"), "cases:case_list", {"unit": unit.pk}, "cases.case"),
        (_("该单位的检查记录"), "inspections:inspection_list", {"q": unit.name}, "inspections.inspection"),
    ):
        if not user.can(permission, "view"):
            continue
        try:
            links.append((label, reverse(name) + "?" + urlencode(query)))
        except NoReverseMatch:
            continue
    return links


@requires(AGREEMENT)
def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    context = {
        "agreement": agreement,
        "steps": [t for t in AGREEMENT_WORKFLOW.available(agreement, request.user)],
        "photos": list(agreement.photos.all()),
        "scans": list(agreement.scans.all()),
        "signed_page_visible": may_see_signed_page(request.user, agreement),
        "related": _related_links(agreement, request.user),
        "children_count": agreement.children.count(),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "agreements/agreement_detail.html", context)


def _not_now(request, agreement):
    """A step's page opened when the table does not offer the step (status or role): back to the
    agreement with a message, never a form that can only fail."""
    messages.error(request, _("这份责任书当前不能办理该操作。"))
    return redirect(agreement)


def _step_page(request, agreement, form, template, status=200):
    return TemplateResponse(request, template, {"agreement": agreement, "form": form}, status=status)


@requires(AGREEMENT, "change")
def agreement_sign(request, pk):
    """签订 on a phone: name, phone, date, the camera; one submit."""
    agreement = _agreement(request, pk, "change")
    template = "agreements/agreement_sign.html"
    if request.method != "POST":
        if not AGREEMENT_WORKFLOW.may("sign", agreement, request.user):
            return _not_now(request, agreement)
        form = SignForm(initial={"signed_on": timezone.localdate(), "version": agreement.version})
        return _step_page(request, agreement, form, template)
    form = SignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                signatory_name=data["signatory_name"],
                signatory_phone=data["signatory_phone"],
                signed_on=data["signed_on"],
                photos=request.FILES.getlist("photos"),
                scan=request.FILES.get("scan"),
                expected_version=data.get("version"),
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("已登记签订。"))
            return redirect(agreement)
    return _step_page(request, agreement, form, template, status=400)


@requires(AGREEMENT, "change")
def agreement_refuse(request, pk):
    agreement = _agreement(request, pk, "change")
    template = "agreements/agreement_refuse.html"
    if request.method != "POST":
        if not AGREEMENT_WORKFLOW.may("refuse", agreement, request.user):
            return _not_now(request, agreement)
        return _step_page(request, agreement, RefuseForm(initial={"version": agreement.version}), template)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_refuse(
                actor=request.user,
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("已登记拒签。"))
            return redirect(agreement)
    return _step_page(request, agreement, form, template, status=400)


@requires(AGREEMENT, "add")
def agreement_renew(request, pk):
    agreement = _agreement(request, pk, "change")
    template = "agreements/agreement_renew.html"
    if request.method != "POST":
        if not AGREEMENT_WORKFLOW.may("supersede", agreement, request.user):
            return _not_now(request, agreement)
        start = max(agreement.ends_on, timezone.localdate())
        form = RenewForm(
            initial={"starts_on": start, "ends_on": start.replace(year=start.year + 1), "version": agreement.version}
        )
        return _step_page(request, agreement, form, template)
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            new = services.agreement_renew(
                actor=request.user,
                agreement=agreement,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                expected_version=form.cleaned_data.get("version"),
            )
        except PermissionDeniedForRole:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("已生成续签责任书 {number}。").format(number=new.number))
            return redirect(new)
    return _step_page(request, agreement, form, template, status=400)


@require_POST
@requires(AGREEMENT, "change")
def agreement_step(request, pk, name):
    """A one-button step (作废) from the transition table; the steps with a form have their page."""
    agreement = _agreement(request, pk, "change")
    if name != "cancel":
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(agreement)
    try:
        services.agreement_cancel(
            actor=request.user,
            agreement=agreement,
            note=form.cleaned_data.get("note", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已{action}。").format(action=AGREEMENT_WORKFLOW[name].label))
    return redirect(agreement)


@requires(AGREEMENT)
def agreement_download(request, pk):
    agreement = _agreement(request, pk)
    return docx_response(
        agreement_docx(agreement),
        _("{number}{type}.docx").format(number=agreement.number, type=agreement.agreement_type),
    )


@requires(AGREEMENT)
def agreement_board(request, pk):
    """责任公示牌 of the frontage or stall this agreement covers."""
    agreement = _agreement(request, pk)
    return docx_response(board_docx(agreement), _("责任公示牌-{party}.docx").format(party=agreement.party_name))


def may_see_signed_page(user, agreement) -> bool:
    """The signed page shows the signatory's name and phone: only a viewer the personal-data
    policy lets reveal (or read in full) the signatory's phone sees its photos and scans."""
    _declared, grant = personal.viewer_level(user, agreement, "signatory_phone")
    return grant is not None and grant >= personal.Level.REVEAL


@transaction.atomic
def _serve_signed_page(request, agreement, what: str) -> None:
    """Refuse (403) a viewer who may not see the signed page; audit each serve as `personal.reveal`."""
    if not may_see_signed_page(request.user, agreement):
        raise PermissionDenied
    declared, _grant = personal.viewer_level(request.user, agreement, "signatory_phone")
    with translation.override("zh-hans"):
        data = {
            "personal_field": gettext("签字页照片") if what == "photo" else gettext("签字页扫描件"),
            "person_kind": str(personal.PersonKind(declared.kind_of(agreement)).label),
        }
    audit_record(actor=request.user, obj=agreement, action=personal.REVEAL_ACTION, data=data)


@requires(AGREEMENT)
def photo(request, pk, size):
    item = AgreementPhoto.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    _serve_signed_page(request, _agreement(request, item.agreement_id), "photo")
    return photo_response(item, size)


@requires(AGREEMENT)
def scan(request, pk):
    item = AgreementScan.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    _serve_signed_page(request, _agreement(request, item.agreement_id), "scan")
    try:
        handle = item.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=f"{item.agreement_id}.pdf", content_type=item.content_type)
