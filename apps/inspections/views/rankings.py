"""Ranking pages: the computed ranking, publication, the 通报 and its .docx, the public wall,
flag history and the scheme of weights."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError
from apps.core.filters import error_messages
from apps.core.roles import Role
from apps.core.selectors import audit_events_for
from apps.core.views_base import get_scoped_or_404, require_permission, requires, submit_form
from apps.documents.docx import docx_response
from apps.organization.models import Jurisdiction
from apps.worktime.periods import period_label

from .. import rankings, selectors, services
from ..choices import PeriodKind
from ..forms import (
    PublishForm,
    RankingFilterForm,
    SchemeForm,
)
from ..models import (
    FlagAward,
    PublishedRanking,
)
from .common import page

# Rankings ------------------------------------------------------------------------------------


def _ranking_params(request, form) -> dict | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    node = data["jurisdiction"] or request.user.jurisdiction
    if node is None:
        node = Jurisdiction.objects.filter(parent__isnull=True).order_by("id").first()
    return {
        "node": node,
        "period_kind": data["period_kind"],
        "day": data["day"] or timezone.localdate(),
        "level_key": data["level"],
    }


@requires("inspections.publishedranking")
def ranking(request):
    """Live ranking for a period, level and scope; reviewers publish it from here."""
    if request.user.role == Role.UNIT_CONTACT:
        return redirect("inspections:wall")
    levels = rankings.ranking_levels()
    data = request.GET.copy()
    data.setdefault("period_kind", PeriodKind.MONTH)
    data.setdefault("level", levels[1][0] if len(levels) > 1 else levels[0][0])
    form = RankingFilterForm(data, user=request.user, levels=levels)
    result, error = None, None
    params = _ranking_params(request, form)
    if params is not None:
        try:
            result = rankings.ranking_compute(**params)
        except DomainError as exc:
            error = exc.message
    can_publish = request.user.can("inspections.publishedranking", "add")
    publish_form = PublishForm(initial={"issuer": str(params["node"]) if params else ""}) if can_publish else None
    published = None
    if result is not None:
        published = (
            PublishedRanking.objects.restrict(request.user, "view")
            .filter(
                jurisdiction=result.node,
                period_kind=result.period_kind,
                period_start=result.start,
                level_key=result.level_key,
            )
            .first()
        )
    return page(
        request,
        "inspections/ranking.html",
        {
            "form": form,
            "result": result,
            "error": error,
            "publish_form": publish_form,
            "published": published,
            "querystring": data.urlencode(),
            "filter_errors": error_messages(form) if form.errors else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def ranking_publish(request):
    require_permission(request.user, "inspections.publishedranking", "add")
    levels = rankings.ranking_levels()
    form = RankingFilterForm(request.POST, user=request.user, levels=levels)
    publish_form = PublishForm(request.POST)
    params = _ranking_params(request, form)
    if params is None or not publish_form.is_valid():
        messages.error(request, _("请检查评比条件。"))
        return redirect("inspections:ranking")
    data = publish_form.cleaned_data
    try:
        published = services.ranking_publish(
            actor=request.user,
            title=data["title"],
            issuer=data["issuer"],
            number=data["number"],
            requirements=data["requirements"],
            is_public=data["is_public"],
            **params,
        )
    except (DomainError, ValidationError) as error:
        text = error.message if isinstance(error, DomainError) else pgettext("separator", "；").join(error.messages)
        messages.error(request, text)
        query = {name: request.POST.get(name, "") for name in form.fields}  # the filters only, never the CSRF token
        return redirect(f"{reverse('inspections:ranking')}?{urlencode(query)}")
    messages.success(request, _("评比结果已发布。"))
    return redirect(published)


def _published(user, pk) -> PublishedRanking:
    return get_scoped_or_404(
        PublishedRanking, user, pk, queryset=PublishedRanking.objects.select_related("jurisdiction", "published_by")
    )


@login_required
def published_detail(request, pk):
    published = _published(request.user, pk)
    return page(
        request,
        "inspections/published_detail.html",
        {
            "published": published,
            "flags": published.flags.all(),
            "period": period_label(published.period_kind, published.period_start, published.period_end),
            "audit_events": audit_events_for(user=request.user, obj=published)[:20],
        },
    )


@login_required
def published_docx(request, pk):
    """通报 as .docx, generated from the published ranking and the sheets behind it."""
    from ..documents import bulletin_docx

    published = _published(request.user, pk)
    return docx_response(bulletin_docx(published), f"{published.title}.docx")


@login_required
def wall(request):
    """公布上墙: the public results published for the user's area (units see their community's and above)."""
    require_permission(request.user, "inspections.publishedranking")
    rankings = selectors.published_list(user=request.user).filter(is_public=True)[:60]
    return page(request, "inspections/wall.html", {"rankings": rankings})


@login_required
def flag_history(request):
    require_permission(request.user, "inspections.publishedranking")
    visible = selectors.published_list(user=request.user)
    flags = FlagAward.objects.filter(ranking__in=visible).select_related("ranking")[:500]
    return page(request, "inspections/flag_history.html", {"flags": flags})


@login_required
def scheme_edit(request):
    require_permission(request.user, "inspections.rankingscheme", "change")
    node = request.user.jurisdiction
    if node is None:
        raise Http404
    form = SchemeForm(request.POST or None, instance=rankings.scheme_for_editing(node))
    if request.method == "POST":
        saved = submit_form(form, lambda data: services.scheme_save(actor=request.user, node=node, data=data))
        if saved is not None:
            messages.success(request, _("评比规则已保存。"))
            return redirect("inspections:ranking")
    return page(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("评比规则：{node}").format(node=node),
            "cancel_url": reverse("inspections:ranking"),
        },
        status=400 if form.errors else 200,
    )
