"""Standards pages: the list, a standard's current tree with its history, read-only old versions,
and the edit forms for the header and the content (every edit through one service)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.selectors import audit_events_for
from apps.core.views_base import (
    FilteredListView,
    ServiceFormView,
    get_scoped_or_404,
    requires,
    submit_form,
)

from . import selectors, services
from .choices import StandardKind
from .forms import IndicatorForm, ItemForm, RequirementForm, SectionForm, StandardForm
from .models import EvidenceRequirement, Standard, StandardIndicator, StandardItem, StandardSection, StandardVersion

IMPORT_SOURCE = "standard_items"


class StandardListView(FilteredListView):
    model = Standard
    template_name = "standards/standard_list.html"

    def get_rows(self):
        return selectors.standard_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self) -> dict:
        return {
            "kinds": StandardKind.choices,
            "can_edit": self.request.user.can("standards.standard", "add"),
            "import_source": IMPORT_SOURCE,
        }


class StandardCreate(ServiceFormView):
    model = Standard
    action = "add"
    form_class = StandardForm
    title = gettext_lazy("新建标准")

    def perform(self, form, data):
        return services.standard_create(actor=self.request.user, data=data)


class StandardUpdate(ServiceFormView):
    model = Standard
    action = "change"
    form_class = StandardForm
    title = gettext_lazy("修改标准信息")

    def perform(self, form, data):
        return services.standard_update(
            actor=self.request.user, standard=self.get_object(), data=data, expected_version=data.get("version")
        )


def _tree_context(request, standard: Standard, version: StandardVersion) -> dict:
    is_current = version is not None and version.pk == standard.current_version_id
    return {
        "standard": standard,
        "shown": version,
        "sections": selectors.version_sections(version),
        "summary": selectors.version_summary(version),
        "versions": selectors.version_history(standard),
        "is_current": is_current,
        "in_use": version is not None and version.in_use,
        "can_edit": is_current and request.user.can("standards.standard", "change"),
        "import_source": IMPORT_SOURCE,
    }


@requires("standards.standard")
def standard_detail(request, pk):
    """The standard's current version as a tree, with its versions and its change history."""
    standard = get_scoped_or_404(
        Standard, request.user, pk, queryset=Standard.objects.select_related("current_version")
    )
    context = _tree_context(request, standard, standard.current_version)
    context["audit_events"] = audit_events_for(user=request.user, obj=standard)[:30]
    return TemplateResponse(request, "standards/standard_detail.html", context)


@requires("standards.standard")
def version_detail(request, pk):
    """One version, read-only (the current one too: its edit buttons live on the standard's page)."""
    version = get_object_or_404(StandardVersion.objects.select_related("standard", "created_by"), pk=pk)
    standard = get_scoped_or_404(Standard, request.user, version.standard_id)
    context = _tree_context(request, standard, version)
    context["can_edit"] = False
    return TemplateResponse(request, "standards/standard_detail.html", context)


# Content edits -------------------------------------------------------------------------------


def _editable(request, pk) -> Standard:
    return get_scoped_or_404(
        Standard, request.user, pk, "change", queryset=Standard.objects.select_related("current_version")
    )


def _in_current(standard: Standard, model, pk):
    """A row of the standard's current version (older versions are not edited): 404 otherwise."""
    version_field = "version" if model in (StandardSection, StandardItem) else "item__version"
    return get_object_or_404(model, pk=pk, **{version_field: standard.current_version_id})


def _content_form(request, standard, form_class, *, instance=None, title, save, initial=None, parent=None):
    form = form_class(request.POST or None, instance=instance, standard=standard, initial=initial or {})
    if request.method == "POST":
        saved = submit_form(form, lambda data: save(data, data.get("version")))
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(standard)
    return TemplateResponse(
        request,
        "standards/content_form.html",
        {
            "form": form,
            "title": title,
            "standard": standard,
            "current": standard.current_version,
            "in_use": standard.current_version.in_use,
            "parent": parent,
        },
        status=400 if form.errors else 200,
    )


@requires("standards.standard", "change")
def section_edit(request, pk, section_id=None):
    standard = _editable(request, pk)
    section = _in_current(standard, StandardSection, section_id) if section_id else None
    return _content_form(
        request,
        standard,
        SectionForm,
        instance=section,
        title=_("修改大项") if section else _("新增大项"),
        save=lambda data, lock: services.section_save(
            actor=request.user, standard=standard, data=data, section=section, expected_version=lock
        ),
    )


@requires("standards.standard", "change")
def item_edit(request, pk, item_id=None):
    standard = _editable(request, pk)
    item = _in_current(standard, StandardItem, item_id) if item_id else None
    initial = {}
    if item is None:
        if not standard.current_version.sections.exists():
            messages.error(request, _("请先添加大项。"))
            return redirect(standard)
        section_id = request.GET.get("section", "")
        if section_id.isascii() and section_id.isdigit():
            initial["section"] = standard.current_version.sections.filter(pk=section_id).first()
    return _content_form(
        request,
        standard,
        ItemForm,
        instance=item,
        initial=initial,
        title=_("修改小项") if item else _("新增小项"),
        save=lambda data, lock: services.item_save(
            actor=request.user, standard=standard, data=data, item=item, expected_version=lock
        ),
    )


@requires("standards.standard", "change")
def indicator_create(request, pk, item_id):
    standard = _editable(request, pk)
    item = _in_current(standard, StandardItem, item_id)
    return _content_form(
        request,
        standard,
        IndicatorForm,
        title=_("新增量化指标"),
        parent=item,
        save=lambda data, lock: services.indicator_save(
            actor=request.user, standard=standard, data=data, item=item, expected_version=lock
        ),
    )


@requires("standards.standard", "change")
def indicator_edit(request, pk, indicator_id):
    standard = _editable(request, pk)
    indicator = _in_current(standard, StandardIndicator, indicator_id)
    return _content_form(
        request,
        standard,
        IndicatorForm,
        instance=indicator,
        title=_("修改量化指标"),
        parent=indicator.item,
        save=lambda data, lock: services.indicator_save(
            actor=request.user, standard=standard, data=data, indicator=indicator, expected_version=lock
        ),
    )


@requires("standards.standard", "change")
def requirement_create(request, pk, item_id):
    standard = _editable(request, pk)
    item = _in_current(standard, StandardItem, item_id)
    return _content_form(
        request,
        standard,
        RequirementForm,
        title=_("新增资料要求"),
        parent=item,
        save=lambda data, lock: services.requirement_save(
            actor=request.user, standard=standard, data=data, item=item, expected_version=lock
        ),
    )


@requires("standards.standard", "change")
def requirement_edit(request, pk, requirement_id):
    standard = _editable(request, pk)
    requirement = _in_current(standard, EvidenceRequirement, requirement_id)
    return _content_form(
        request,
        standard,
        RequirementForm,
        instance=requirement,
        title=_("修改资料要求"),
        parent=requirement.item,
        save=lambda data, lock: services.requirement_save(
            actor=request.user, standard=standard, data=data, requirement=requirement, expected_version=lock
        ),
    )


DELETES = {
    "section": (StandardSection, services.section_delete, "section"),
    "item": (StandardItem, services.item_delete, "item"),
    "indicator": (StandardIndicator, services.indicator_delete, "indicator"),
    "requirement": (EvidenceRequirement, services.requirement_delete, "requirement"),
}


@require_POST
@requires("standards.standard", "change")
def content_delete(request, pk, part, part_id):
    """Remove a section, item, indicator or requirement (from a new version when in use)."""
    if part not in DELETES:
        raise Http404
    standard = _editable(request, pk)
    model, service, argument = DELETES[part]
    target = _in_current(standard, model, part_id)
    lock = request.POST.get("version", "")
    try:
        service(
            actor=request.user,
            standard=standard,
            expected_version=int(lock) if lock.isascii() and lock.isdigit() else None,
            **{argument: target},
        )
        messages.success(request, _("已删除。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(standard)
