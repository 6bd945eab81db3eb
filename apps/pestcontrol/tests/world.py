"""pestcontrol's part of the access-matrix world: each part adds its own objects."""


def extend(o) -> None:
    from . import world_aedes, world_operations, world_surveys

    world_operations.extend(o)
    world_surveys.extend(o)
    world_aedes.extend(o)
