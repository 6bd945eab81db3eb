"""Results computed from stored scores, checked against hand-computed figures.

Wilson 95% interval, z = 1.959964, z² = 3.841459:
    centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) × √(p(1−p)/n + z²/4n²)

- 知晓率 7 / 9: p = 0.77778, 1 + z²/9 = 1.42683, centre = (0.77778 + 0.21342) / 1.42683 =
  0.69469, half = 1.37365 × √(0.019204 + 0.011856) = 0.24209 → 77.8% [45.3%, 93.7%].
- 健康行为形成率 6 / 9: centre = (0.66667 + 0.21342) / 1.42683 = 0.61683, half = 1.37365 ×
  √(0.024691 + 0.011856) = 0.26261 → 66.7% [35.4%, 87.9%].
- 满意率 6 / 8 answers: 1 + z²/8 = 1.48019, centre = (0.75 + 0.24009) / 1.48019 = 0.66890,
  half = 1.32413 × √(0.0234375 + 0.015006) = 0.25962 → 75.0% [40.9%, 92.9%].
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.surveys.choices import Channel, SurveyStatus
from apps.surveys.results import compute, snapshot
from apps.surveys.services.responses import SurveyClosed, response_submit
from apps.surveys.tests.world_results import results_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(org):
    return results_survey(org.street_a, org.comm_a1, org.comm_a2)


def _rate(value, low, high, k, n):
    return {"k": k, "n": n, "value": value, "low": low, "high": high}


def test_overall_rates_with_wilson_intervals(survey):
    r = compute(survey)
    assert r["overall"]["n"] == 9
    assert r["overall"]["awareness"] == _rate("77.8", "45.3", "93.7", 7, 9)
    assert r["overall"]["behaviour"] == _rate("66.7", "35.4", "87.9", 6, 9)
    assert r["overall"]["satisfaction"] == _rate("75.0", "40.9", "92.9", 6, 8)
    # Planned 40 + 10 = 50 respondents: 9 is short.
    assert (r["overall"]["planned"], r["overall"]["short"]) == (50, True)


def test_threshold_respondents_count_as_aware(survey):
    """Respondents 6 and 7 answered exactly 1 of 2 knowledge items right (aware_share 50%)."""
    aware = list(survey.responses.filter(knowledge_correct=1).values_list("aware", flat=True))
    assert aware == [True, True]


def test_a_planned_community_without_answers_shows_no_rate(survey, org):
    rows = {row["key"]: row for row in compute(survey)["groups"]["community"]}
    a1, a2 = rows[str(org.comm_a1.pk)], rows[str(org.comm_a2.pk)]
    assert (a1["label"], a1["n"], a1["planned"], a1["short"]) == ("甲一社区", 9, 40, True)
    assert a1["awareness"]["value"] == "77.8"
    assert (a2["label"], a2["n"], a2["planned"], a2["short"]) == ("甲二社区", 0, 10, True)
    assert a2["awareness"] == _rate(None, None, None, 0, 0)
    assert a2["satisfaction"]["value"] is None


def test_age_groups_against_quotas(survey):
    rows = {row["key"]: row for row in compute(survey)["groups"]["age_group"]}
    assert list(rows) == ["25-34", "65+"]
    young, old = rows["25-34"], rows["65+"]
    # 25–34: respondents 1–4, all aware, formed, satisfied (4 of 4 answers).
    assert (young["n"], young["planned"], young["short"]) == (4, 4, False)
    assert young["awareness"]["value"] == "100.0"
    assert young["awareness"]["high"] == "100.0"
    # 65+: respondents 5–9: aware 5, 6, 7 → 3 of 5; satisfied 5, 6 of answers 5–8 → 2 of 4.
    assert (old["n"], old["planned"], old["short"]) == (5, 20, True)
    assert (old["awareness"]["k"], old["awareness"]["n"], old["awareness"]["value"]) == (3, 5, "60.0")
    assert (old["satisfaction"]["k"], old["satisfaction"]["n"], old["satisfaction"]["value"]) == (2, 4, "50.0")


def test_per_question_tallies(survey):
    (version,) = compute(survey)["versions"]
    assert (version["number"], version["current"], version["responses"]) == (1, True, 9)
    k1, k2, b1, s1 = version["questions"][:4]
    # k1: 有害 by respondents 1–6, 无害 by 7–9; correct 6 of 9 = 66.7%.
    assert [(o["text"], o["count"], o["share"]) for o in k1["options"]] == [("有害", 6, "66.7"), ("无害", 3, "33.3")]
    assert k1["correct"]["value"] == "66.7"
    # k2 (multiple): exactly 老鼠+蚊子 by 1–5 and 7 → 6 of 9; 老鼠 chosen by all 9, 蝴蝶 by 6, 8, 9.
    assert k2["correct"]["k"] == 6
    assert [o["count"] for o in k2["options"]] == [9, 6, 3]
    assert b1["correct"] is None
    assert [o["count"] for o in s1["options"]] == [4, 2, 0, 2, 0, 1]


def test_an_earlier_version_is_tallied_apart(survey):
    from apps.surveys.models import Option, Question, QuestionnaireVersion

    v2 = QuestionnaireVersion.objects.create(questionnaire=survey, number=2)
    q = Question.objects.create(version=v2, sort=1, text="新题", role="general")
    o = Option.objects.create(question=q, sort=0, text="是")
    survey.current_version = v2
    survey.save(update_fields=["current_version"])
    response_submit(questionnaire=survey, chosen={q.pk: [o.pk]}, channel=Channel.PUBLIC, device_hash="v2")
    current, earlier = compute(survey)["versions"]
    assert (current["number"], current["responses"], current["questions"][0]["options"][0]["count"]) == (2, 1, 1)
    assert (earlier["number"], earlier["responses"], earlier["current"]) == (1, 9, False)
    # The version-2 respondent answered no knowledge item: 知晓率 stays 7 of 9.
    assert compute(survey)["overall"]["awareness"]["n"] == 9


def test_the_query_count_does_not_grow_with_responses(survey, org):
    with CaptureQueriesContext(connection) as before:
        compute(survey)
    for i in range(5):
        response_submit(
            questionnaire=survey,
            chosen={k: [v] for k, v in _first_options(survey).items()},
            channel=Channel.PUBLIC,
            device_hash=f"more-{i}",
        )
    with CaptureQueriesContext(connection) as after:
        compute(survey)
    assert len(after) == len(before) <= 16


def _first_options(survey):
    return {q.pk: q.options.order_by("sort").first().pk for q in survey.current_version.questions.all()}


def test_frozen_results_do_not_move_after_a_late_answer(survey):
    frozen = snapshot(survey)
    survey.frozen_results = frozen
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now() - timedelta(minutes=1)
    survey.save(update_fields=["frozen_results", "status", "closed_at"])
    with pytest.raises(SurveyClosed):
        response_submit(
            questionnaire=survey,
            chosen={k: [v] for k, v in _first_options(survey).items()},
            channel=Channel.PUBLIC,
            device_hash="late",
        )
    survey.refresh_from_db()
    assert survey.frozen_results == frozen
    assert survey.frozen_results["overall"]["awareness"]["value"] == "77.8"
    assert survey.responses.count() == 9


def test_an_empty_survey_has_no_rates(org):
    empty = results_survey(org.street_a, org.comm_a1, org.comm_a2, title="空问卷", answers=False)
    r = snapshot(empty)
    assert r["overall"]["n"] == 0
    assert r["overall"]["awareness"]["value"] is None
    assert r["groups"]["age_group"][0]["awareness"]["value"] is None
