"""The map layers endpoint: named outlines and unit points for maps drawn without a tile server."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from apps.core.filters import InvalidFilters

from . import selectors_map
from .filters import MapSearchFilterSet
from .models import Jurisdiction


@require_GET
@login_required
def map_layers(request):
    """GET: the layers in the user's scope; GET ?q=text: places matching text (units, addresses, areas).

    Every role may ask; each gets only what `restrict()` gives it (a unit contact: its own unit).
    """
    try:
        text = MapSearchFilterSet(request.GET, Jurisdiction.objects.none(), request=request).params()["q"]
    except InvalidFilters as error:
        return JsonResponse({"detail": error.message, "code": "invalid"}, status=400)
    if text:
        return JsonResponse({"results": selectors_map.map_search(user=request.user, text=text[:50])})
    return JsonResponse(selectors_map.map_layers(user=request.user))
