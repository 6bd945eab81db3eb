"""Hand-computed tests of the pure arithmetic: the Wilson interval and the scoring rules."""

from decimal import Decimal

import pytest

from apps.surveys.choices import QuestionRole
from apps.surveys.scoring import OptionSpec, QuestionSpec, Rules, meets_share, score
from apps.surveys.stats import rate, wilson

# Wilson 95% by hand (z = 1.959964, z² = 3.841459):
#   4 of 5: p = 0.8, 1 + z²/n = 1.768292, centre = (0.8 + 0.384146) / 1.768292 = 0.669655,
#           half = 1.959964 / 1.768292 × √(0.032 + 0.038415) = 1.108393 × 0.265358 = 0.294122
#           → [0.37553, 0.96378] → 37.6% – 96.4%.
#   5 of 5: centre = 1.384146 / 1.768292 = 0.782760, half = 1.108393 × √0.038415 = 0.217242
#           → [0.565518, 1] → 56.6% – 100.0%.
#   0 of 3: 1 + z²/3 = 2.280486, centre = 0.640243 / 2.280486 = 0.280748, half = 0.859450 ×
#           √(0 + 0.106707) = 0.280748 → [0, 0.561496] → 0.0% – 56.1%.
#   87 of 100: 79.0% – 92.2% (the seed's 知晓率 87%, 001 L1073, with n = 100).


@pytest.mark.parametrize(
    ("k", "n", "value", "low", "high"),
    [
        (4, 5, "80.0", "37.6", "96.4"),
        (5, 5, "100.0", "56.6", "100.0"),
        (0, 3, "0.0", "0.0", "56.1"),
        (87, 100, "87.0", "79.0", "92.2"),
        (1, 3, "33.3", "6.1", "79.2"),
    ],
)
def test_wilson_by_hand(k, n, value, low, high):
    r = rate(k, n)
    assert (r.k, r.n) == (k, n)
    assert (r.value, r.low, r.high) == (Decimal(value), Decimal(low), Decimal(high))


def test_wilson_fractions_and_bad_input():
    low, high = wilson(4, 5)
    assert round(low, 5) == 0.37553 and round(high, 5) == 0.96378
    with pytest.raises(ValueError):
        wilson(1, 0)
    with pytest.raises(ValueError):
        wilson(6, 5)


def test_a_rate_never_exceeds_100_and_is_empty_without_answers():
    assert rate(7, 5).value == Decimal("100.0")
    empty = rate(0, 0)
    assert (empty.n, empty.value, empty.low, empty.high) == (0, None, None, None)


K, B, S = QuestionRole.KNOWLEDGE, QuestionRole.BEHAVIOUR, QuestionRole.SATISFACTION


def _knowledge(qid: int, correct: set[int], options: int = 3) -> QuestionSpec:
    base = qid * 10
    return QuestionSpec(
        id=qid, role=K, options=tuple(OptionSpec(id=base + i, is_correct=(i in correct)) for i in range(options))
    )


def _behaviour(qid: int) -> QuestionSpec:
    base = qid * 10
    return QuestionSpec(id=qid, role=B, options=(OptionSpec(base, is_healthy=True), OptionSpec(base + 1)))


def _scale(qid: int) -> QuestionSpec:
    base = qid * 10
    # 非常满意 5 … 非常不满意 1, 不了解 (no score)
    return QuestionSpec(
        id=qid, role=S, options=(*(OptionSpec(base + s, score=s) for s in range(1, 6)), OptionSpec(base + 9))
    )


RULES = Rules(aware_share=Decimal("80"), behaviour_share=Decimal("60"), positive_from=4)
# Five knowledge items (correct option 0; item 5 is multiple choice with options 0 and 2),
# five behaviour items, two satisfaction items.
QUESTIONS = [
    *(_knowledge(q, {0}) for q in range(1, 5)),
    _knowledge(5, {0, 2}),
    *(_behaviour(q) for q in range(6, 11)),
    _scale(11),
    _scale(12),
]


def test_on_the_threshold_is_aware():
    # 4 of 5 knowledge items correct = 80% = aware_share: aware. Item 5 needs both 50 and 52.
    chosen = {1: [10], 2: [20], 3: [30], 4: [40], 5: [50]}
    s = score(QUESTIONS, chosen, RULES)
    assert (s.knowledge_correct, s.knowledge_total, s.aware) == (4, 5, True)
    # 3 of 5 = 60% < 80%: not aware; an unanswered item counts as wrong.
    s = score(QUESTIONS, {1: [10], 2: [20], 5: [50, 52]}, RULES)
    assert (s.knowledge_correct, s.aware) == (3, False)


def test_multiple_choice_knowledge_needs_exactly_the_correct_set():
    assert score(QUESTIONS, {5: [50, 52]}, RULES).knowledge_correct == 1
    assert score(QUESTIONS, {5: [50, 51, 52]}, RULES).knowledge_correct == 0
    assert score(QUESTIONS, {5: [52]}, RULES).knowledge_correct == 0


def test_behaviour_formed_on_the_threshold():
    # 3 of 5 healthy = 60% = behaviour_share: formed; 2 of 5: not.
    s = score(QUESTIONS, {6: [60], 7: [70], 8: [80], 9: [91], 10: [101]}, RULES)
    assert (s.behaviour_healthy, s.behaviour_total, s.behaviour_formed) == (3, 5, True)
    s = score(QUESTIONS, {6: [60], 7: [70], 8: [81]}, RULES)
    assert (s.behaviour_healthy, s.behaviour_formed) == (2, False)


def test_satisfaction_counts_scored_answers_only():
    # 满意 (4) is positive, 一般 (3) is not, 不了解 is not counted.
    s = score(QUESTIONS, {11: [114], 12: [123]}, RULES)
    assert (s.satisfaction_positive, s.satisfaction_total) == (1, 2)
    s = score(QUESTIONS, {11: [115], 12: [129]}, RULES)
    assert (s.satisfaction_positive, s.satisfaction_total) == (1, 1)


def test_options_of_other_questions_are_ignored_and_empty_surveys_score_nothing():
    s = score(QUESTIONS, {1: [20]}, RULES)  # option 20 belongs to question 2
    assert s.knowledge_correct == 0
    assert score([], {}, RULES) == score([], {1: [10]}, RULES)
    assert not meets_share(0, 0, Decimal("0"))
    assert meets_share(2, 3, Decimal("66.66")) and not meets_share(2, 3, Decimal("66.67"))
