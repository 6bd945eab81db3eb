"""The smokefree part of education's access-matrix world: the objects its access rows address."""


def extend(o) -> None:
    pass
