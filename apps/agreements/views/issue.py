"""View: 签发 one agreement to one party on request (e.g. a catering unit's 复工承诺书), through the
same service rules as bulk generation. The party comes from the page that links here (`?unit=`
or `?party=` for a child jurisdiction); without one, the page helps pick it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core.views_base import get_scoped_or_404, requires, submit_form
from apps.organization.models import Jurisdiction, Unit

from ..forms import IssueForm
from ..selectors import issue_candidates
from ..services.generation import agreement_issue

AGREEMENT = "agreements.agreement"


def _party(request, data):
    """(unit, jurisdiction) named by the request, each looked up in the user's scope (404 outside)."""
    if data.get("unit"):
        unit = get_scoped_or_404(Unit, request.user, data["unit"])
        return unit, None
    if data.get("party"):
        return None, get_scoped_or_404(Jurisdiction, request.user, data["party"])
    return None, None


@requires(AGREEMENT, "add")
def issue(request):
    data = request.POST if request.method == "POST" else request.GET
    unit, party = _party(request, data)
    if unit is None and party is None:
        query = (request.GET.get("q") or "").strip()[:50]
        context = {"q": query, **issue_candidates(user=request.user, query=query)}
        return TemplateResponse(request, "agreements/agreement_issue.html", context)
    form = IssueForm(data if request.method == "POST" else None, user=request.user, unit=unit, party=party)
    if request.method == "POST":
        agreement = submit_form(
            form,
            lambda d: agreement_issue(
                actor=request.user,
                agreement_type=d["agreement_type"],
                issuer=d["issuer"],
                party_unit=unit,
                party_jurisdiction=party,
                template=d.get("template"),
                starts_on=d["starts_on"],
                ends_on=d.get("ends_on"),
            ),
        )
        if agreement is not None:
            messages.success(request, _("已签发责任书 {number}。").format(number=agreement.number))
            return redirect(agreement)
    context = {"form": form, "unit": unit, "party": party, "party_name": (unit or party).name}
    return TemplateResponse(request, "agreements/agreement_issue.html", context, status=400 if form.is_bound else 200)
