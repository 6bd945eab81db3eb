"""surveys' part of the access-matrix world: each part adds its own objects."""


def extend(o) -> None:
    from . import world_answering, world_builder, world_results

    world_builder.extend(o)
    world_results.extend(o)
    world_answering.extend(o)
