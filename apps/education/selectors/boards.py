"""Reads of the bulletin-board register: the filtered list, each board's status, and the
on-time share of the last complete period (punctuality.py) of the boards in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, QuerySet

from .. import punctuality
from ..choices import Cadence
from ..filters.boards import BoardFilterSet, overdue_q
from ..models import Board, BoardUpdate


def board_list(*, user, filters=None) -> QuerySet[Board]:
    qs = Board.objects.restrict(user, "view").filter(is_active=True).select_related("jurisdiction")
    return BoardFilterSet.apply(qs, filters, user=user).order_by("jurisdiction__path", "name", "id")


def with_status(boards, today: date) -> list[Board]:
    """Each board's `overdue` period (or None), from its stored last update (no query)."""
    boards = list(boards)
    for board in boards:
        last = punctuality.previous(board.cadence, punctuality.period_of(board.cadence, today))
        missed = (
            board.is_active
            and board.installed_on <= last.start
            and (board.last_updated_on is None or board.last_updated_on < last.start)
        )
        board.overdue = last if missed else None
    return boards


def overdue_boards(*, user, today: date) -> QuerySet[Board]:
    return Board.objects.restrict(user, "view").filter(overdue_q(today))


@dataclass(frozen=True)
class Share:
    cadence_label: str
    period: punctuality.Period
    on_time: int
    due: int
    percent: Decimal | None


def on_time_shares(*, boards: QuerySet[Board], today: date) -> list[Share]:
    """Per cadence, the on-time share of its last complete period over `boards` (active ones):
    one query per cadence; cadences with no due board are left out."""
    shares = []
    for cadence, label in Cadence.choices:
        period = punctuality.previous(cadence, punctuality.period_of(cadence, today))
        rows = (
            boards.filter(is_active=True, cadence=cadence, installed_on__lte=period.start)
            .annotate(
                done=Exists(
                    BoardUpdate.objects.filter(
                        board=OuterRef("pk"), updated_on__gte=period.start, updated_on__lte=period.end
                    )
                )
            )
            .values_list("installed_on", "done")
        )
        pairs = [(installed, [period.start] if done else []) for installed, done in rows]
        on, due, percent = punctuality.on_time_share(pairs, period)
        if due:
            shares.append(Share(label, period, on, due, percent))
    return shares


def on_time_total(shares: list[Share]) -> tuple[int, int, Decimal | None]:
    """All cadences together (each board judged on its own cadence's last complete period)."""
    on = sum(s.on_time for s in shares)
    due = sum(s.due for s in shares)
    if not due:
        return 0, 0, None
    return on, due, (Decimal(on) * 100 / Decimal(due)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
