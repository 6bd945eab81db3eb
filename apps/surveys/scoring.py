"""How one respondent is scored, as pure arithmetic (no queries): the counts a response stores
and whether the respondent is aware (知晓) and behaviour-formed (行为形成).

- A knowledge item is correct when the chosen options are exactly its correct options (one for
  a single-choice item); an unanswered knowledge item counts as not correct.
- A behaviour item is healthy when at least one option is chosen and every chosen option is
  healthy; an unanswered behaviour item counts as not healthy.
- A satisfaction answer counts when its option has a score (不了解 has none); it is positive
  when the score is at least `positive_from`.
- Aware: knowledge items exist and correct × 100 ≥ aware_share × total (exact, no floats), so a
  respondent exactly on the threshold is aware. Behaviour-formed likewise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .choices import QuestionRole


@dataclass(frozen=True)
class OptionSpec:
    id: int
    is_correct: bool = False
    is_healthy: bool = False
    score: int | None = None


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    role: str
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class Rules:
    aware_share: Decimal
    behaviour_share: Decimal
    positive_from: int


@dataclass(frozen=True)
class Score:
    knowledge_correct: int = 0
    knowledge_total: int = 0
    behaviour_healthy: int = 0
    behaviour_total: int = 0
    satisfaction_positive: int = 0
    satisfaction_total: int = 0
    aware: bool = False
    behaviour_formed: bool = False

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def meets_share(count: int, total: int, share: Decimal) -> bool:
    """Whether count/total reaches `share` percent (False when there is nothing to count)."""
    return total > 0 and Decimal(count) * 100 >= Decimal(share) * total


def score(questions: Iterable[QuestionSpec], chosen: Mapping[int, Iterable[int]], rules: Rules) -> Score:
    """Score one respondent: `chosen` maps a question id to the chosen option ids."""
    k_ok = k_total = b_ok = b_total = s_pos = s_total = 0
    for question in questions:
        picked = set(chosen.get(question.id, ()))
        options = {o.id: o for o in question.options}
        picked &= options.keys()
        if question.role == QuestionRole.KNOWLEDGE:
            k_total += 1
            correct = {o.id for o in question.options if o.is_correct}
            k_ok += bool(picked) and picked == correct
        elif question.role == QuestionRole.BEHAVIOUR:
            b_total += 1
            b_ok += bool(picked) and all(options[i].is_healthy for i in picked)
        elif question.role == QuestionRole.SATISFACTION:
            for option_id in picked:
                value = options[option_id].score
                if value is not None:
                    s_total += 1
                    s_pos += value >= rules.positive_from
    return Score(
        knowledge_correct=k_ok,
        knowledge_total=k_total,
        behaviour_healthy=b_ok,
        behaviour_total=b_total,
        satisfaction_positive=s_pos,
        satisfaction_total=s_total,
        aware=meets_share(k_ok, k_total, rules.aware_share),
        behaviour_formed=meets_share(b_ok, b_total, rules.behaviour_share),
    )
