"""The overview of pest control (除四害): the app's one menu entry, with the tabs of its parts."""

from django.shortcuts import render

from apps.core.views_base import requires


@requires("pestcontrol.survey", "view")
def overview(request):
    return render(request, "pestcontrol/home.html", {"tab": "home"})
