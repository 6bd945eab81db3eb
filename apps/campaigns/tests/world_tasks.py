"""The tasks part of the campaigns access world."""


def extend(o) -> None:
    pass
