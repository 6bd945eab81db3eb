"""The surveys part of the access-matrix world."""


def extend(o) -> None:
    pass
