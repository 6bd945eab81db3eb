"""Organisation pages. Thin: parse input, call one selector or service, render."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from apps.core.charts import map_data
from apps.core.selectors import audit_events_for
from apps.core.views_base import (
    FilteredListView,
    RoleRequiredMixin,
    ScopedObjectMixin,
    ServiceFormView,
    submit_form,
)

from . import selectors, services
from .choices import UnitStatus, ZoneKind
from .forms import (
    GroupMemberForm,
    JurisdictionForm,
    JurisdictionLevelForm,
    JurisdictionMoveForm,
    LicenseForm,
    StaffForm,
    UnitForm,
    UnitTypeForm,
    WorkGroupForm,
    ZoneForm,
    ZoneReassignForm,
)
from .models import GroupMember, Jurisdiction, JurisdictionLevel, Staff, Unit, UnitType, WorkGroup, Zone


def _back_to(request, obj, form, result, success: str):
    """After an inline form on a detail page: its errors or the success as messages, then back."""
    if result is None:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    else:
        messages.success(request, success)
    return redirect(obj.get_absolute_url())


def _detail(request, template, obj, **extra):
    context = {"object": obj, "audit_events": audit_events_for(user=request.user, obj=obj)[:50], **extra}
    return TemplateResponse(request, template, context)


# Jurisdictions -------------------------------------------------------------------


class JurisdictionListView(FilteredListView):
    model = Jurisdiction
    template_name = "organization/jurisdiction_list.html"
    export_source = "jurisdictions"

    def get_rows(self):
        return selectors.jurisdiction_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {
            "levels": selectors.level_choices(),
            "can_import": self.request.user.can("organization.jurisdiction", "add"),
        }


class JurisdictionDetailView(ScopedObjectMixin, View):
    model = Jurisdiction

    def get(self, request, pk):
        node = self.get_object()
        ancestors = Jurisdiction.objects.restrict(request.user).filter(pk__in=node.ancestor_ids).exclude(pk=node.pk)
        children = selectors.jurisdiction_children_with_counts(user=request.user, node=node)
        return _detail(
            request,
            "organization/jurisdiction_detail.html",
            node,
            summary=selectors.jurisdiction_summary(user=request.user, node=node),
            children=children,
            ancestors=ancestors.order_by("depth"),
            map_data=map_data(node=node, points=children, boundaries=children),
            can_change=request.user.can("organization.jurisdiction", "change"),
        )


class JurisdictionCreateView(ServiceFormView):
    model = Jurisdiction
    action = "add"
    form_class = JurisdictionForm
    title = gettext_lazy("新增辖区")
    success_message = gettext_lazy("辖区已创建。")

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def perform(self, form, data):
        fields = {k: v for k, v in data.items() if k not in ("parent", "version")}
        return services.jurisdiction_create(actor=self.request.user, parent=data["parent"], **fields)


class JurisdictionUpdateView(ServiceFormView):
    model = Jurisdiction
    action = "change"
    form_class = JurisdictionForm
    title = gettext_lazy("编辑辖区")
    success_message = gettext_lazy("辖区已保存。")

    def perform(self, form, data):
        return services.jurisdiction_update(
            actor=self.request.user,
            jurisdiction=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )


class JurisdictionMoveView(ServiceFormView):
    model = Jurisdiction
    action = "change"
    form_class = JurisdictionMoveForm
    title = gettext_lazy("移动辖区（连同全部下级）")
    success_message = gettext_lazy("辖区及其下级已移动。")

    def get_initial(self):
        return {"version": self.get_object().version}

    def perform(self, form, data):
        return services.jurisdiction_move(
            actor=self.request.user,
            jurisdiction=self.get_object(),
            new_parent=data["new_parent"],
            expected_version=data.get("version"),
        )


# Units ---------------------------------------------------------------------------


class UnitListView(FilteredListView):
    model = Unit
    template_name = "organization/unit_list.html"
    export_source = "units"

    def get_rows(self):
        return selectors.unit_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {
            "unit_types": selectors.unit_type_choices(),
            "statuses": UnitStatus.choices,
            "can_add": self.request.user.can("organization.unit", "add"),
        }


class UnitDetailView(ScopedObjectMixin, View):
    model = Unit

    def get(self, request, pk):
        unit = self.get_object()
        can_change = Unit.objects.restrict(request.user, "change").filter(pk=unit.pk).exists()
        return _detail(
            request,
            "organization/unit_detail.html",
            unit,
            licenses=unit.licenses.all(),
            assignments=unit.zone_assignments.select_related("zone").order_by("-starts_on"),
            staff=unit.staff.all(),
            license_form=LicenseForm() if can_change else None,
            can_change=can_change,
            map_data=map_data(node=unit.jurisdiction, points=[unit]),
        )


class UnitCreateView(ServiceFormView):
    model = Unit
    action = "add"
    form_class = UnitForm
    title = gettext_lazy("新增单位")
    success_message = gettext_lazy("单位已创建。")

    def get_initial(self):
        return {"jurisdiction": self.request.GET.get("jurisdiction")}

    def perform(self, form, data):
        return services.unit_create(actor=self.request.user, **form.changes())


class UnitUpdateView(ServiceFormView):
    model = Unit
    action = "change"
    form_class = UnitForm
    title = gettext_lazy("编辑单位")
    success_message = gettext_lazy("单位已保存。")

    def perform(self, form, data):
        return services.unit_update(
            actor=self.request.user,
            unit=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )


@method_decorator(require_POST, name="dispatch")
class LicenseAddView(ScopedObjectMixin, View):
    model = Unit
    action = "change"

    def post(self, request, pk):
        unit = self.get_object()
        form = LicenseForm(request.POST)
        result = submit_form(
            form,
            lambda d: services.license_add(
                actor=request.user, unit=unit, kind=d["kind"], number=d["number"], expires_on=d["expires_on"]
            ),
        )
        return _back_to(request, unit, form, result, _("证照已添加。"))


@method_decorator(require_POST, name="dispatch")
class LicenseRemoveView(ScopedObjectMixin, View):
    model = Unit
    action = "change"

    def post(self, request, pk, license_pk):
        unit = self.get_object()
        license = unit.licenses.filter(pk=license_pk).first()
        if license:
            services.license_remove(actor=request.user, license=license)
            messages.success(request, _("证照已删除。"))
        return redirect(unit.get_absolute_url())


# Staff and groups ----------------------------------------------------------------


class StaffListView(FilteredListView):
    model = Staff
    template_name = "organization/staff_list.html"
    export_source = "staff"

    def get_rows(self):
        return selectors.staff_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {"can_add": self.request.user.can("organization.staff", "add")}


class StaffDetailView(ScopedObjectMixin, View):
    model = Staff

    def get(self, request, pk):
        person = self.get_object()
        return _detail(
            request,
            "organization/staff_detail.html",
            person,
            memberships=person.memberships.select_related("group"),
            can_change=request.user.can("organization.staff", "change"),
        )


class StaffCreateView(ServiceFormView):
    model = Staff
    action = "add"
    form_class = StaffForm
    title = gettext_lazy("新增人员")
    success_message = gettext_lazy("人员已创建。")

    def perform(self, form, data):
        return services.staff_create(actor=self.request.user, **form.changes())


class StaffUpdateView(ServiceFormView):
    model = Staff
    action = "change"
    form_class = StaffForm
    title = gettext_lazy("编辑人员")
    success_message = gettext_lazy("人员已保存。")

    def perform(self, form, data):
        return services.staff_update(
            actor=self.request.user,
            staff=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )


class GroupListView(FilteredListView):
    model = WorkGroup
    template_name = "organization/group_list.html"
    export_source = "groups"

    def get_rows(self):
        return selectors.group_list(user=self.request.user)

    def get_extra_context(self):
        return {"can_add": self.request.user.can("organization.workgroup", "add")}


class GroupDetailView(ScopedObjectMixin, View):
    model = WorkGroup

    def get(self, request, pk):
        group = self.get_object()
        can_change = WorkGroup.objects.restrict(request.user, "change").filter(pk=group.pk).exists()
        return _detail(
            request,
            "organization/group_detail.html",
            group,
            members=group.members.select_related("staff"),
            subgroups=group.subgroups.all(),
            member_form=GroupMemberForm(user=request.user) if can_change else None,
            can_change=can_change,
        )


class GroupCreateView(ServiceFormView):
    model = WorkGroup
    action = "add"
    form_class = WorkGroupForm
    title = gettext_lazy("新增领导/工作小组")
    success_message = gettext_lazy("小组已创建。")

    def perform(self, form, data):
        return services.group_create(actor=self.request.user, **form.changes())


class GroupUpdateView(ServiceFormView):
    model = WorkGroup
    action = "change"
    form_class = WorkGroupForm
    title = gettext_lazy("编辑小组")
    success_message = gettext_lazy("小组已保存。")

    def perform(self, form, data):
        return services.group_update(
            actor=self.request.user,
            group=self.get_object(),
            changes=form.changes(),
            expected_version=data.get("version"),
        )


@method_decorator(require_POST, name="dispatch")
class GroupMemberAddView(ScopedObjectMixin, View):
    model = WorkGroup
    action = "change"

    def post(self, request, pk):
        group = self.get_object()
        form = GroupMemberForm(request.POST, user=request.user)
        result = submit_form(
            form,
            lambda d: services.group_member_add(
                actor=request.user, group=group, staff=d["staff"], position=d["position"], duty=d["duty"]
            ),
        )
        return _back_to(request, group, form, result, _("成员已添加。"))


@method_decorator(require_POST, name="dispatch")
class GroupMemberRemoveView(ScopedObjectMixin, View):
    model = WorkGroup
    action = "change"

    def post(self, request, pk, member_pk):
        group = self.get_object()
        member = GroupMember.objects.filter(group=group, pk=member_pk).first()
        if member:
            services.group_member_remove(actor=request.user, member=member)
            messages.success(request, _("成员已移除。"))
        return redirect(group.get_absolute_url())


# Zones ---------------------------------------------------------------------------


class ZoneListView(FilteredListView):
    model = Zone
    template_name = "organization/zone_list.html"
    export_source = "zones"

    def get_rows(self):
        return selectors.zone_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        return {"kinds": ZoneKind.choices, "can_add": self.request.user.can("organization.zone", "add")}


class ZoneDetailView(ScopedObjectMixin, View):
    model = Zone

    def get(self, request, pk):
        zone = self.get_object()
        can_change = Zone.objects.restrict(request.user, "change").filter(pk=zone.pk).exists()
        return _detail(
            request,
            "organization/zone_detail.html",
            zone,
            assignments=zone.assignments.select_related("unit", "staff").order_by("-starts_on", "-id"),
            covered=zone.covered_jurisdictions.all(),
            can_change=can_change,
            map_data={"boundary": zone.boundary, "center": None, "boundaries": [], "points": []},
        )


class ZoneCreateView(ServiceFormView):
    model = Zone
    action = "add"
    form_class = ZoneForm
    title = gettext_lazy("新增责任区")
    success_message = gettext_lazy("责任区已创建。")

    def perform(self, form, data):
        changes = form.changes()
        return services.zone_create(
            actor=self.request.user, covered_jurisdictions=list(data["covered_jurisdictions"]), **changes
        )


class ZoneUpdateView(ServiceFormView):
    model = Zone
    action = "change"
    form_class = ZoneForm
    title = gettext_lazy("编辑责任区")
    success_message = gettext_lazy("责任区已保存。")

    def perform(self, form, data):
        changes = form.changes()
        changes["covered_jurisdictions"] = list(data["covered_jurisdictions"])
        return services.zone_update(
            actor=self.request.user, zone=self.get_object(), changes=changes, expected_version=data.get("version")
        )


class ZoneReassignView(ServiceFormView):
    model = Zone
    action = "change"
    form_class = ZoneReassignForm
    title = gettext_lazy("调整责任区责任方（微调）")
    success_message = gettext_lazy("责任方已调整，原分配已保留为历史。")

    def get_initial(self):
        return {"version": self.get_object().version}

    def perform(self, form, data):
        return services.zone_reassign(
            actor=self.request.user,
            zone=self.get_object(),
            unit=data["unit"],
            staff=data["staff"],
            starts_on=data["starts_on"],
            note=data["note"],
            expected_version=data.get("version"),
        )

    def success_url(self, result):
        return self.get_object().get_absolute_url()


# Reference lists -----------------------------------------------------------------


class ReferenceListView(RoleRequiredMixin, View):
    """The editable lists behind dropdowns: jurisdiction levels and unit types."""

    model = JurisdictionLevel

    def get(self, request):
        return TemplateResponse(
            request,
            "organization/reference_list.html",
            {
                "levels": JurisdictionLevel.objects.all(),
                "unit_types": UnitType.objects.annotate(unit_count=Count("unit")),
                "can_edit_types": request.user.can("organization.unittype", "change"),
                "can_edit_levels": request.user.can("organization.jurisdictionlevel", "change"),
            },
        )


class _ReferenceFormView(ServiceFormView):
    success_message = gettext_lazy("已保存。")

    def perform(self, form, data):
        if self.action == "add":
            return services.reference_create(actor=self.request.user, model=self.model, **form.cleaned_data)
        return services.reference_update(actor=self.request.user, obj=self.get_object(), changes=form.cleaned_data)

    def success_url(self, result):
        return reverse("organization:reference_list")

    def cancel_url(self):
        return reverse("organization:reference_list")


class UnitTypeCreateView(_ReferenceFormView):
    model = UnitType
    action = "add"
    form_class = UnitTypeForm
    title = gettext_lazy("新增单位类型")


class UnitTypeUpdateView(_ReferenceFormView):
    model = UnitType
    action = "change"
    form_class = UnitTypeForm
    title = gettext_lazy("编辑单位类型")


class LevelCreateView(_ReferenceFormView):
    model = JurisdictionLevel
    action = "add"
    form_class = JurisdictionLevelForm
    title = gettext_lazy("新增辖区层级")


class LevelUpdateView(_ReferenceFormView):
    model = JurisdictionLevel
    action = "change"
    form_class = JurisdictionLevelForm
    title = gettext_lazy("编辑辖区层级")
