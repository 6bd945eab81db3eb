"""The shared context every app's demo builder reads from and adds to."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

SEED = 20261122  # fixed, so screenshots and tests see the same street


@dataclass
class Demo:
    """What the demo street is built with and, as the builders run, what it holds.

    The options (`case_count`, `inspection_months`) and the clock (`now`, `today`) are set
    before the first builder runs; `rng` is the one random source every builder draws
    from, so the whole street is reproducible from `seed`. The organisation builder fills
    `street`, `communities`, `estates`, `grids`, `units` and `accounts`; later builders may
    add what the ones after them need (the cases builder adds `punctuality`).

    Item access (`demo["estates"]`) is kept for callers that treat the result as a dict.
    """

    seed: int = SEED
    case_count: int = 150
    inspection_months: int = 2
    now: datetime = field(default_factory=timezone.now)
    rng: random.Random = field(init=False)
    today: date = field(init=False)
    street: Any = None
    communities: list = field(default_factory=list)
    estates: list = field(default_factory=list)
    grids: list = field(default_factory=list)
    units: list = field(default_factory=list)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    punctuality: dict[int, float] = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.today = timezone.localdate(self.now)

    def __getitem__(self, name: str):
        return getattr(self, name)
