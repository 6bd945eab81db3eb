"""A questionnaire's results computed from its answers, as JSON-able data.

`snapshot(questionnaire)` returns the results stored in `frozen_results` when the survey closes
(the builder's close service calls it inside the closing transaction); the results page of a
closed survey reads that snapshot instead of recomputing, so an answer refused after closing
counts nowhere and the published figures never move.

The rates aggregate the scores each response stored when it was saved (scoring.py), with a
handful of GROUP BY queries whatever the number of responses (one per grouping, three for the
per-question tallies):

- 知晓率 = aware respondents ÷ respondents who were asked at least one knowledge item;
- 健康行为形成率 = behaviour-formed respondents ÷ respondents asked at least one behaviour item;
- 满意率 = positive scale answers ÷ scale answers (不了解 is not an answer). The interval is
  over answers, as the rate is: answers of one respondent are not independent, so with several
  satisfaction items the interval is somewhat narrower than the truth (noted on the page).

Every rate carries its 95% Wilson interval (stats.rate); a group with no respondents has
value None ("—"), never 0%. Decimals are strings in the snapshot.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AgeGroup, Channel, QuestionKind, QuestionRole, ResidentType, Sex
from .models import Answer, Option, Question, Response
from .stats import rate

SCHEMA = 1
GROUPS = ("community", "age_group", "sex", "resident_type", "channel")
RATE_LABELS = {
    "awareness": _("知晓率"),
    "behaviour": _("健康行为形成率"),
    "satisfaction": _("满意率"),
}
CHOICES = {"age_group": AgeGroup, "sex": Sex, "resident_type": ResidentType, "channel": Channel}


def _aggregates() -> dict:
    return {
        "n": Count("id"),
        "aware_k": Count("id", filter=Q(aware=True, knowledge_total__gt=0)),
        "aware_n": Count("id", filter=Q(knowledge_total__gt=0)),
        "behaviour_k": Count("id", filter=Q(behaviour_formed=True, behaviour_total__gt=0)),
        "behaviour_n": Count("id", filter=Q(behaviour_total__gt=0)),
        "satisfaction_k": Sum("satisfaction_positive"),
        "satisfaction_n": Sum("satisfaction_total"),
    }


def _rate_json(k, n) -> dict:
    r = rate(int(k or 0), int(n or 0))
    as_text = lambda d: None if d is None else str(d)  # noqa: E731
    return {"k": r.k, "n": r.n, "value": as_text(r.value), "low": as_text(r.low), "high": as_text(r.high)}


def _row(values: dict) -> dict:
    return {
        "n": values.get("n") or 0,
        "awareness": _rate_json(values.get("aware_k"), values.get("aware_n")),
        "behaviour": _rate_json(values.get("behaviour_k"), values.get("behaviour_n")),
        "satisfaction": _rate_json(values.get("satisfaction_k"), values.get("satisfaction_n")),
    }


def _labels(group: str, keys) -> dict:
    if group == "community":
        from apps.organization.models import Jurisdiction

        names = dict(Jurisdiction.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, "") for k in keys}
    choices = CHOICES[group]
    return {k: str(choices(k).label) if k in choices.values else "" for k in keys}


def _grouped(responses, group: str, plan: dict[str, int]) -> list[dict]:
    """One row per group value seen or planned (a planned group with no answers shows n 0 and
    "—"); the unknown value ("" or None: the item was not asked) comes last as 未填写."""
    column = "community_id" if group == "community" else group
    seen = {row[column]: row for row in responses.values(column).annotate(**_aggregates()).order_by()}
    keys = list(seen)
    if group in CHOICES:
        order = list(CHOICES[group].values)
        keys = [k for k in order if k in seen or k in plan] + [k for k in seen if k not in order]
    else:
        keys = sorted({*(k for k in seen if k), *(int(k) for k in plan)}) + ([None] if None in seen else [])
    labels = _labels(group, keys)
    rows = []
    for key in keys:
        row = _row(seen.get(key, {}))
        row["key"] = "" if key is None else str(key)
        row["label"] = labels.get(key) or ""
        target = plan.get(str(key)) if key is not None else None
        row["planned"] = target
        row["short"] = bool(target and row["n"] < target)
        rows.append(row)
    return rows


KNOWLEDGE_SQL = """
SELECT t.question_id, t.ok, COUNT(*) FROM (
    SELECT a.response_id, a.question_id,
           SUM(CASE WHEN o.is_correct THEN 1 ELSE 0 END) AS ok,
           SUM(CASE WHEN o.is_correct THEN 0 ELSE 1 END) AS bad
    FROM surveys_answer a
    JOIN surveys_option o ON o.id = a.option_id
    JOIN surveys_question q ON q.id = a.question_id
    JOIN surveys_questionnaireversion v ON v.id = q.version_id
    WHERE v.questionnaire_id = %s AND q.role = %s AND q.kind = %s
    GROUP BY a.response_id, a.question_id
) t WHERE t.bad = 0 GROUP BY t.question_id, t.ok
"""


def _knowledge_correct(questionnaire_id: int) -> dict[int, int]:
    """Per knowledge item, the respondents whose chosen options are exactly its correct options
    (scoring.py's rule), in one query: per (response, item) the correct and wrong options chosen,
    then per item and number of correct options chosen, the responses with no wrong option."""
    with connection.cursor() as cursor:
        cursor.execute(KNOWLEDGE_SQL, [questionnaire_id, str(QuestionRole.KNOWLEDGE), str(QuestionKind.MULTIPLE)])
        rows = cursor.fetchall()
    wanted = dict(
        Option.objects.filter(question__version__questionnaire_id=questionnaire_id, is_correct=True)
        .values("question_id")
        .annotate(c=Count("id"))
        .values_list("question_id", "c")
    )
    correct: dict[int, int] = {}
    for question_id, ok, count in rows:
        if wanted.get(question_id) and int(ok) == wanted[question_id]:
            correct[question_id] = correct.get(question_id, 0) + int(count)
    return correct


def _tallies(questionnaire) -> list[dict]:
    """Per version (current first, then earlier ones), per question: respondents who answered
    it, each option's count and share of those respondents (a multiple-choice item's shares add
    up to more than 100%), and for a knowledge item the correct rate."""
    questions = list(
        Question.objects.filter(version__questionnaire=questionnaire)
        .select_related("version")
        .prefetch_related("options")
        .order_by("-version__number", "sort", "id")
    )
    if not questions:
        return []
    ids = [q.pk for q in questions]
    option_counts = dict(
        ((q, o), c)
        for q, o, c in Answer.objects.filter(question_id__in=ids)
        .values("question_id", "option_id")
        .annotate(c=Count("id"))
        .values_list("question_id", "option_id", "c")
        .order_by()
    )
    # Respondents per item: the option counts add up for a one-answer item; only a
    # multiple-choice item needs the distinct count (the expensive one, so only for those).
    multiple = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE]
    answered = {q: 0 for q in ids}
    for (question_id, _option_id), count in option_counts.items():
        answered[question_id] += count
    answered |= dict(
        Answer.objects.filter(question_id__in=multiple or [0])
        .values("question_id")
        .annotate(c=Count("response_id", distinct=True))
        .values_list("question_id", "c")
        .order_by()
    )
    per_version = dict(
        Response.objects.filter(questionnaire=questionnaire)
        .values("version_id")
        .annotate(c=Count("id"))
        .values_list("version_id", "c")
        .order_by()
    )
    knowledge = [q for q in questions if q.role == QuestionRole.KNOWLEDGE]
    # A one-answer knowledge item is right when its correct option is chosen (counted above);
    # a multiple-choice one needs the exact set, counted in SQL.
    correct = {
        q.pk: sum(option_counts.get((q.pk, o.pk), 0) for o in q.options.all() if o.is_correct)
        for q in knowledge
        if q.kind != QuestionKind.MULTIPLE
    }
    if any(q.kind == QuestionKind.MULTIPLE for q in knowledge):
        correct |= _knowledge_correct(questionnaire.pk)
    versions: dict[int, dict] = {}
    for q in questions:
        version = versions.setdefault(
            q.version_id,
            {
                "number": q.version.number,
                "current": q.version_id == questionnaire.current_version_id,
                "responses": per_version.get(q.version_id, 0),
                "questions": [],
            },
        )
        base = answered.get(q.pk, 0)
        item = {
            "number": len(version["questions"]) + 1,
            "text": q.text,
            "kind": q.kind,
            "role": q.role,
            "answered": base,
            "options": [],
            "correct": None,
        }
        for o in q.options.all():
            count = option_counts.get((q.pk, o.pk), 0)
            share = _rate_json(count, base)
            item["options"].append({"text": o.text, "count": count, "share": share["value"], "correct": o.is_correct})
        if q.role == QuestionRole.KNOWLEDGE:
            item["correct"] = _rate_json(correct.get(q.pk, 0), version["responses"])
        version["questions"].append(item)
    return sorted(versions.values(), key=lambda v: (not v["current"], -v["number"]))


def plan_of(questionnaire) -> dict:
    """The sampling plan: wanted respondents per community (by id, as text) and per age group."""
    community = {str(c): t for c, t in questionnaire.sampling_targets.values_list("community_id", "target")}
    age = dict(questionnaire.age_quotas.values_list("age_group", "target"))
    return {"community": community, "age_group": age, "total": sum(community.values()) or sum(age.values())}


def compute(questionnaire) -> dict:
    """The results as they stand now (see the module's docstring)."""
    responses = Response.objects.filter(questionnaire=questionnaire)
    plan = plan_of(questionnaire)
    overall = _row(responses.aggregate(**_aggregates()))
    overall["planned"] = plan["total"] or None
    overall["short"] = bool(plan["total"] and overall["n"] < plan["total"])
    return {
        "schema": SCHEMA,
        "computed_at": timezone.now().isoformat(),
        "overall": overall,
        "groups": {group: _grouped(responses, group, plan.get(group, {})) for group in GROUPS},
        "versions": _tallies(questionnaire),
    }


def snapshot(questionnaire) -> dict:
    return compute(questionnaire)
