"""Views: binder (the ledger exported as a .zip): a campaign's binders with the form that starts
one, a binder's progress, and its download."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.views_base import get_scoped_or_404, requires

from ..binder.jobs import binder_file_name
from ..forms.binder import BinderStartForm
from ..models import BinderExport, Campaign
from ..selectors.binder import binder_list as select_binders
from ..services.binder import binder_start as start_binder

BINDER = "campaigns.binderexport"


def _list_page(request, campaign, form, status=200):
    context = {
        "campaign": campaign,
        "binders": select_binders(user=request.user, campaign=campaign)[:100],
        "form": form,
    }
    return TemplateResponse(request, "campaigns/binder/binder_list.html", context, status=status)


@requires(BINDER)
def binder_list(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    form = BinderStartForm(user=request.user, campaign=campaign) if request.user.can(BINDER, "add") else None
    return _list_page(request, campaign, form)


@require_POST
@requires(BINDER, "add")
def binder_start(request, pk):
    campaign = get_scoped_or_404(Campaign, request.user, pk)
    form = BinderStartForm(request.POST, user=request.user, campaign=campaign)
    if form.is_valid():
        try:
            binder = start_binder(actor=request.user, campaign=campaign, jurisdiction=form.cleaned_data["jurisdiction"])
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("campaigns:binder_detail", pk=binder.pk)
    return _list_page(request, campaign, form, status=400)


@requires(BINDER)
def binder_detail(request, pk):
    queryset = BinderExport.objects.select_related("campaign", "jurisdiction", "created_by")
    binder = get_scoped_or_404(BinderExport, request.user, pk, queryset=queryset)
    template = "campaigns/binder/_progress.html" if request.htmx else "campaigns/binder/binder_detail.html"
    return TemplateResponse(request, template, {"binder": binder})


@requires(BINDER)
def binder_download(request, pk):
    queryset = BinderExport.objects.select_related("campaign", "jurisdiction")
    binder = get_scoped_or_404(BinderExport, request.user, pk, queryset=queryset)
    if binder.status != "succeeded" or not binder.file:
        raise Http404
    try:
        handle = binder.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=binder_file_name(binder), content_type="application/zip")
