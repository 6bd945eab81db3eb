"""The boards part of education's access-matrix world: a board at the grid of community A1
(seen by the grid worker, community A1, street A and the leader; not by community A2) with one
update and its photo."""

from datetime import date


def extend(o) -> None:
    from apps.education.services import boards as services

    o.board = services.board_create(
        actor=o.community,
        jurisdiction=o.grid_a1,
        name="幸福路宣传栏",
        place="幸福路12号",
        cadence="monthly",
        installed_on=date(2026, 1, 1),
    )
    update = services.board_update_record(
        actor=o.community, board=o.board, updated_on=date(2026, 3, 2), topic="春季防病", photos=[o.jpeg()]
    )
    o.board_photo = update.photos.first()
    o.board_update_data = lambda: {"updated_on": "2026-04-01", "topic": "控烟", "photos": o.rewinding_jpeg()}
