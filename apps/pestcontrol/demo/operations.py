"""Demo data of the operations part (filled below)."""


def build(demo) -> None:
    return None
