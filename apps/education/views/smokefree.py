"""Pages of the smoke-free places: the list with the totals of no-smoking signs, a place's page
with its checks (result and the cases a failed check opened) and the check form (desk,
inspectors, grid workers: roles.PLACE_CHECKERS)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.views_base import get_scoped_or_404, requires

from ..forms.smokefree import PlaceCheckForm
from ..models import SmokeFreePlace
from ..roles import PLACE_CHECKERS
from ..services import smokefree as services

PLACE = "education.smokefreeplace"


@requires(PLACE, "view")
def place_list(request):
    places = SmokeFreePlace.objects.restrict(request.user, "view").filter(is_active=True).select_related("jurisdiction")
    totals = places.aggregate(required=Sum("signs_required"), posted=Sum("signs_posted"))
    return TemplateResponse(request, "education/place_list.html", {"places": places, "totals": totals})


@requires(PLACE, "view")
def place_detail(request, pk, form=None, status=200):
    place = get_scoped_or_404(
        SmokeFreePlace, request.user, pk, "view", SmokeFreePlace.objects.select_related("jurisdiction")
    )
    context = {
        "place": place,
        "checks": place.checks.all(),
        "can_check": request.user.role in PLACE_CHECKERS and place.is_active,
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
