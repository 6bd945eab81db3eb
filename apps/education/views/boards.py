"""Pages of the bulletin-board register: the list (overdue flagged), a board's page with its
updates and the update form (desk and grid workers, roles.BOARD_UPDATERS), the photos."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.views_base import get_scoped_or_404, requires
from apps.photos.views import photo_response

from ..forms.boards import BoardUpdateForm
from ..models import Board, BoardUpdatePhoto
from ..roles import BOARD_UPDATERS
from ..services import boards as services

BOARD = "education.board"


@requires(BOARD, "view")
def board_list(request):
    today = timezone.localdate()
    boards = list(
        Board.objects.restrict(request.user, "view")
        .filter(is_active=True)
        .select_related("jurisdiction")
        .prefetch_related("updates")
    )
    for board in boards:
        board.overdue = services.overdue_of(board, today, [u.updated_on for u in board.updates.all()])
    if request.GET.get("overdue") == "1":
        boards = [b for b in boards if b.overdue]
    return TemplateResponse(request, "education/board_list.html", {"boards": boards, "tab": "boards"})


@requires(BOARD, "view")
def board_detail(request, pk, form=None, status=200):
    board = get_scoped_or_404(Board, request.user, pk, "view", Board.objects.select_related("jurisdiction"))
    context = {
        "board": board,
        "overdue": services.overdue_of(board, timezone.localdate()),
        "updates": board.updates.prefetch_related("photos"),
        "can_update": request.user.role in BOARD_UPDATERS and board.is_active,
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
