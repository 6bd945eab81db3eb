"""The results part of surveys' access-matrix world: the objects its access rows address."""


def extend(o) -> None:
    pass
