"""The standards of the demo: the shipped ones (a flushed test database has lost the migration's rows)."""

from .services import install_starter_standards


def build(demo) -> None:
    install_starter_standards()
