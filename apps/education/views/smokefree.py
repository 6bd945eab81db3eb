"""Pages of the smoke-free places: the list with the totals of no-smoking signs, a place's page
with its checks (result and the cases a failed check opened) and the check form (desk,
inspectors, grid workers: roles.PLACE_CHECKERS)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.filters import InvalidFilters
from apps.core.views_base import FilteredListView, get_scoped_or_404, requires, submit_form
from apps.organization.models import Jurisdiction

from ..choices import PlaceKind
from ..filters.smokefree import LAST_RESULTS
from ..forms.smokefree import PlaceCheckForm, PlaceForm
from ..models import SmokeFreePlace
from ..roles import PLACE_CHECKERS
from ..selectors import smokefree as selectors
from ..services import smokefree as services
from .registers import edit_page, form_page

PLACE = "education.smokefreeplace"


class PlaceListView(FilteredListView):
    model = SmokeFreePlace
    template_name = "education/place_list.html"

    def get_rows(self):
        return selectors.place_list(user=self.request.user, filters=self.get_filters())

    def get_extra_context(self):
        user = self.request.user
        try:
            totals = selectors.place_list(user=user, filters=self.get_filters()).aggregate(
                required=Sum("signs_required"), posted=Sum("signs_posted")
            )
        except InvalidFilters:
            totals = {}
        return {
            "tab": "places",
            "totals": totals,
            "kinds": PlaceKind.choices,
            "results": LAST_RESULTS,
            "jurisdictions": Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "can_add": user.can(PLACE, "add"),
        }


place_list = PlaceListView.as_view()


@requires(PLACE, "view")
def place_detail(request, pk, form=None, status=200):
    place = get_scoped_or_404(
        SmokeFreePlace, request.user, pk, "view", SmokeFreePlace.objects.select_related("jurisdiction")
    )
    context = {
        "place": place,
        "checks": place.checks.all(),
        "can_check": request.user.role in PLACE_CHECKERS and place.is_active,
        "can_change": place.is_active and request.user.can(PLACE, "change"),
        "form": form or PlaceCheckForm(),
    }
    return TemplateResponse(request, "education/place_detail.html", context, status=status)


@requires(PLACE, "view")
def place_check(request, pk):
    place = get_scoped_or_404(SmokeFreePlace, request.user, pk, "view")
    if request.user.role not in PLACE_CHECKERS:
        raise PermissionDenied
    if request.method != "POST":
        return redirect(place.get_absolute_url())
    form = PlaceCheckForm(request.POST)
    if form.is_valid():
        try:
            check = services.check_record(
                actor=request.user, place=place, photos=request.FILES.getlist("photos"), **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("控烟检查已登记：{result}。").format(result=check.get_result_display()))
            return redirect(place.get_absolute_url())
    return place_detail.__wrapped__(request, pk, form=form, status=400)


def _place_form_response(request, form, place=None, status=200):
    list_url = reverse("education:place_list")
    return form_page(
        request,
        "education/place_form.html",
        tab="places",
        name="place",
        form=form,
        obj=place,
        list_url=list_url,
        status=status,
    )


@requires(PLACE, "add")
def place_create(request):
    if request.method != "POST":
        return _place_form_response(request, PlaceForm(user=request.user))
    form = PlaceForm(request.POST, user=request.user)
    place = submit_form(
        form,
        lambda data: services.place_create(actor=request.user, jurisdiction=data["jurisdiction"], **form.changes()),
    )
    if place is not None:
        messages.success(request, _("无烟场所已登记。"))
        return redirect(place.get_absolute_url())
    return _place_form_response(request, form, status=400)


@requires(PLACE, "change")
def place_edit(request, pk):
    place = get_scoped_or_404(SmokeFreePlace, request.user, pk, "change")
    return edit_page(
        request,
        place,
        form_class=PlaceForm,
        record="place",
        fields=services.PLACE_FIELDS,
        skip="unit",
        edit=lambda changes, version: services.place_edit(
            actor=request.user, place=place, changes=changes, expected_version=version
        ),
        respond=_place_form_response,
    )
