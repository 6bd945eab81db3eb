"""The map layers endpoint: named outlines and unit points for maps drawn without a tile server."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import selectors_map


@require_GET
@login_required
def map_layers(request):
    """GET: the layers in the user's scope; GET ?q=text: places matching text (units, addresses, areas).

    Every role may ask; each gets only what `restrict()` gives it (a unit contact: its own unit).
    """
    text = request.GET.get("q", "")
    if text.strip():
        return JsonResponse({"results": selectors_map.map_search(user=request.user, text=text[:50])})
    return JsonResponse(selectors_map.map_layers(user=request.user))
