"""Views: agreement templates — the list, a template with its versions, an old version, the edit
(a version in use is kept; the edit becomes the next version)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core.views_base import get_scoped_or_404, requires, submit_form

from ..forms import TemplateForm
from ..models import AgreementTemplate, TemplateVersion
from ..selectors import template_list as select_templates
from ..services.templates import template_save, version_in_use
from ..text import PLACEHOLDERS

TEMPLATE = "agreements.agreementtemplate"


@requires(TEMPLATE)
def template_list(request):
    return TemplateResponse(
        request, "agreements/template_list.html", {"templates": select_templates(user=request.user)}
    )


@requires(TEMPLATE)
def template_detail(request, pk):
    template = get_scoped_or_404(AgreementTemplate, request.user, pk)
    versions = template.versions.order_by("-number")
    return TemplateResponse(
        request,
        "agreements/template_detail.html",
        {"template": template, "version": template.current_version, "versions": versions},
    )


@requires(TEMPLATE)
def template_version(request, pk, number):
    template = get_scoped_or_404(AgreementTemplate, request.user, pk)
    version = TemplateVersion.objects.filter(template=template, number=number).first()
    if version is None:
        raise Http404
    return TemplateResponse(
        request,
        "agreements/template_detail.html",
        {"template": template, "version": version, "versions": template.versions.order_by("-number"), "old": True},
    )


@requires(TEMPLATE, "change")
def template_edit(request, pk):
    template = get_scoped_or_404(AgreementTemplate, request.user, pk, "change")
    current = template.current_version
    if request.method == "POST":
        form = TemplateForm(request.POST)
        version = submit_form(
            form,
            lambda data: template_save(
                actor=request.user, template=template, data=data, expected_version=data.get("version")
            ),
        )
        if version is not None:
            messages.success(request, _("已保存为第 {n} 版。").format(n=version.number))
            return redirect(template)
        status = 400
    else:
        initial = {"version": template.version}
        if current is not None:
            initial.update(
                title=current.title,
                body=current.body,
                duties=current.duties,
                term_months=current.term_months,
            )
        form = TemplateForm(initial=initial)
        status = 200
    context = {
        "template": template,
        "form": form,
        "in_use": current is not None and version_in_use(current),
        "placeholders": PLACEHOLDERS,
    }
    return TemplateResponse(request, "agreements/template_edit.html", context, status=status)
