from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from . import selectors, services


@login_required
def notification_list(request):
    """The inbox; a POST marks every message read."""
    if request.method == "POST":
        services.notification_mark_read(user=request.user)
        return redirect("notifications:list")
    items = selectors.notification_list(user=request.user)
    return TemplateResponse(request, "notifications/list.html", {"items": items})
