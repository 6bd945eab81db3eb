"""education's part of the access-matrix world: each part adds its own objects."""


def extend(o) -> None:
    from . import world_activities, world_boards, world_smokefree

    world_activities.extend(o)
    world_boards.extend(o)
    world_smokefree.extend(o)
