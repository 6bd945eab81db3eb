"""Pages of the bulletin-board register: the list (overdue flagged), a board's page with its
updates and the update form (desk and grid workers, roles.BOARD_UPDATERS), the photos."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import DomainError, PermissionDeniedForRole
from apps.core.filters import InvalidFilters
from apps.core.views_base import FilteredListView, get_scoped_or_404, requires, submit_form
from apps.organization.models import Jurisdiction
from apps.photos.views import photo_response

from ..choices import Cadence
from ..forms.boards import BoardForm, BoardUpdateForm
from ..models import Board, BoardUpdatePhoto
from ..roles import BOARD_UPDATERS
from ..selectors import boards as selectors
from ..services import boards as services
from .registers import edit_page, form_page

BOARD = "education.board"


class BoardListView(FilteredListView):
    """The register: filters, each board's last update and status, and the on-time share of
    the last complete period of the boards in scope (within the chosen jurisdiction)."""

    model = Board
    template_name = "education/board_list.html"

    def get_rows(self):
        return selectors.board_list(user=self.request.user, filters=self.get_filters())

    def get(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        response = super().get(request, *args, **kwargs)
        if getattr(response, "context_data", None) and "page" in response.context_data:
            rows = selectors.with_status(response.context_data["rows"], self.today)
            response.context_data["rows"] = rows
            response.context_data["points"] = [
                {
                    "lat": float(b.lat),
                    "lng": float(b.lng),
                    "name": b.name,
                    "url": b.get_absolute_url(),
                    "overdue": bool(b.overdue),
                }
                for b in rows
                if b.lat is not None and b.lng is not None
            ]
        return response

    def get_extra_context(self):
        user = self.request.user
        try:
            scope = selectors.board_list(user=user, filters=self._scope_filters())
            shares = selectors.on_time_shares(boards=scope, today=self.today)
        except InvalidFilters:
            shares = []
        return {
            "tab": "boards",
            "cadences": Cadence.choices,
            "jurisdictions": Jurisdiction.objects.restrict(user).order_by("path")[:300],
            "shares": shares,
            "total": selectors.on_time_total(shares),
            "can_add": user.can(BOARD, "add"),
        }

    def _scope_filters(self):
        return {k: v for k, v in self.get_filters().items() if k == "jurisdiction"}


board_list = BoardListView.as_view()


@requires(BOARD, "view")
def board_detail(request, pk, form=None, status=200):
    board = get_scoped_or_404(Board, request.user, pk, "view", Board.objects.select_related("jurisdiction"))
    context = {
        "board": board,
        "overdue": services.overdue_of(board, timezone.localdate()),
        "updates": board.updates.prefetch_related("photos"),
        "can_update": request.user.role in BOARD_UPDATERS and board.is_active,
        "can_change": board.is_active and request.user.can(BOARD, "change"),
        "form": form or BoardUpdateForm(),
    }
    return TemplateResponse(request, "education/board_detail.html", context, status=status)


@requires(BOARD, "view")
def board_update(request, pk):
    board = get_scoped_or_404(Board, request.user, pk, "view")
    if request.user.role not in BOARD_UPDATERS:
        raise PermissionDenied
    if request.method != "POST":
        return redirect(board.get_absolute_url())
    form = BoardUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.board_update_record(
                actor=request.user,
                board=board,
                updated_on=form.cleaned_data["updated_on"],
                topic=form.cleaned_data["topic"],
                note=form.cleaned_data["note"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("宣传栏更新已登记。"))
            return redirect(board.get_absolute_url())
    return board_detail.__wrapped__(request, pk, form=form, status=400)


@requires(BOARD, "view")
def board_photo(request, pk, size):
    photo = get_object_or_404(BoardUpdatePhoto.objects.select_related("update"), pk=pk)
    get_scoped_or_404(Board, request.user, photo.update.board_id, "view")
    return photo_response(photo, size)


def _board_form_response(request, form, board=None, status=200):
    list_url = reverse("education:board_list")
    return form_page(
        request,
        "education/board_form.html",
        tab="boards",
        name="board",
        form=form,
        obj=board,
        list_url=list_url,
        status=status,
    )


@requires(BOARD, "add")
def board_create(request):
    if request.method != "POST":
        return _board_form_response(request, BoardForm(user=request.user))
    form = BoardForm(request.POST, user=request.user)
    board = submit_form(
        form,
        lambda data: services.board_create(actor=request.user, jurisdiction=data["jurisdiction"], **form.changes()),
    )
    if board is not None:
        messages.success(request, _("宣传栏已登记。"))
        return redirect(board.get_absolute_url())
    return _board_form_response(request, form, status=400)


@requires(BOARD, "change")
def board_edit(request, pk):
    board = get_scoped_or_404(Board, request.user, pk, "change", Board.objects.select_related("jurisdiction"))
    return edit_page(
        request,
        board,
        form_class=BoardForm,
        record="board",
        fields=services.BOARD_FIELDS,
        skip="owner_unit",
        edit=lambda changes, version: services.board_edit(
            actor=request.user, board=board, changes=changes, expected_version=version
        ),
        respond=_board_form_response,
    )


@require_POST
@requires(BOARD, "change")
def board_deactivate(request, pk):
    board = get_scoped_or_404(Board, request.user, pk, "change")
    try:
        version = int(request.POST.get("version") or 0) or None
        services.board_deactivate(actor=request.user, board=board, expected_version=version)
    except ValueError:
        messages.error(request, _("请求无效，请刷新页面后重试。"))
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("宣传栏已停用。"))
    return redirect(board.get_absolute_url())
