"""Checklist pages: templates, their sections and items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.filters import unknown_value
from apps.core.selectors import audit_events_for
from apps.core.views_base import ServiceFormView, get_scoped_or_404, require_permission, submit_form

from .. import services
from ..forms import (
    ItemForm,
    SectionForm,
    TemplateForm,
)
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
)
from .common import page

# Checklists ----------------------------------------------------------------------------------


@login_required
def template_list(request):
    require_permission(request.user, "inspections.checklisttemplate")
    templates = (
        ChecklistTemplate.objects.restrict(request.user, "view")
        .select_related("current_version", "level")
        .prefetch_related("unit_types")
        .annotate(item_count=Count("current_version__items"))
    )
    return page(
        request,
        "inspections/template_list.html",
        {"templates": templates, "can_edit": request.user.can("inspections.checklisttemplate", "add")},
    )


class TemplateCreate(ServiceFormView):
    model = ChecklistTemplate
    action = "add"
    form_class = TemplateForm
    title = gettext_lazy("新建检查表")

    def perform(self, form, data):
        return services.checklist_create(actor=self.request.user, data=data)


class TemplateUpdate(ServiceFormView):
    model = ChecklistTemplate
    action = "change"
    form_class = TemplateForm
    title = gettext_lazy("修改检查表")

    def perform(self, form, data):
        return services.checklist_update(
            actor=self.request.user, template=self.get_object(), data=data, expected_version=data.get("version")
        )


@login_required
def template_detail(request, pk):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk)
    versions = list(template.versions.annotate(sheets=Count("inspections")).order_by("-number"))
    shown, filter_errors = template.current_version, []
    if request.GET.get("version"):
        # A version number of this template; any other is refused like an unknown value.
        chosen = request.GET["version"].strip()
        shown = next((v for v in versions if str(v.number) == chosen), None)
        if shown is None:
            filter_errors, shown = [str(unknown_value(_("版本")).message)], template.current_version
    sections = (
        shown.sections.prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.select_related("category")))
        if shown
        else []
    )
    can_edit = request.user.can("inspections.checklisttemplate", "change")
    return page(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "shown": shown,
            "sections": sections,
            "is_current": shown is not None and shown.pk == template.current_version_id,
            "in_use": any(v.sheets for v in versions if shown and v.pk == shown.pk),
            "can_edit": can_edit,
            "section_form": SectionForm(),
            "audit_events": audit_events_for(user=request.user, obj=template)[:30],
            "filter_errors": filter_errors,
        },
        status=400 if filter_errors else 200,
    )


@login_required
@require_POST
def section_add(request, pk):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    form = SectionForm(request.POST)
    submit_form(
        form, lambda data: services.checklist_section_add(actor=request.user, template=template, name=data["name"])
    )
    for error in form.errors.get("__all__", []) + form.errors.get("name", []):
        messages.error(request, error)
    return redirect(template)


@login_required
def item_edit(request, pk, item_id=None):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    version = template.current_version
    item = get_object_or_404(ChecklistItem, pk=item_id, version=version) if item_id else None
    if not version.sections.exists():
        messages.error(request, _("请先添加检查项目大类。"))
        return redirect(template)
    form = ItemForm(request.POST or None, instance=item, version=version, template_version=template.version)
    if request.method == "POST":
        saved = submit_form(
            form,
            lambda data: services.checklist_item_save(actor=request.user, template=template, data=data, item=item),
        )
        if saved is not None:
            messages.success(request, _("检查项目已保存。"))
            return redirect(template)
    title = _("修改检查项目") if item else _("新增检查项目")
    return page(
        request,
        "core/form.html",
        {"form": form, "title": title, "object": template, "cancel_url": template.get_absolute_url()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_delete(request, pk, item_id):
    template = get_scoped_or_404(ChecklistTemplate, request.user, pk, "change")
    item = get_object_or_404(ChecklistItem, pk=item_id, version=template.current_version)
    try:
        services.checklist_item_delete(actor=request.user, template=template, item=item)
        messages.success(request, _("检查项目已删除。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(template)
