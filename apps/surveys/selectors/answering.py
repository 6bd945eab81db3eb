"""Reads of the answering part: the survey a staff member opens (scoped), the survey behind a
public link, the JSON form the interviewer's phone renders, and the channels page's counts."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.http import Http404

from apps.core.views_base import get_scoped_or_404

from ..choices import Channel, RefusalReason
from ..models import Questionnaire, QuestionnaireVersion, Refusal
from ..services.responses import version_questions


def questionnaire_for(user, pk) -> Questionnaire:
    """A survey `user` may view (403 for a role without it, 404 outside the scope)."""
    return get_scoped_or_404(
        Questionnaire, user, pk, "view", Questionnaire.objects.select_related("jurisdiction", "current_version")
    )


def public_questionnaire(token: str) -> Questionnaire:
    """The survey behind a public link (404 when unknown or when public answering is off)."""
    questionnaire = (
        Questionnaire.objects.select_related("current_version", "jurisdiction")
        .filter(public_token=token, public_enabled=True)
        .first()
    )
    if questionnaire is None:
        raise Http404
    return questionnaire


def _in_order(question) -> list:
    """A scale's options from the lowest score to the highest (the page's 很不满意 … 很满意 caption),
    whatever order the builder stored them in; other items as stored."""
    options = list(question.options.all())
    return sorted(options, key=lambda o: o.score or 0) if question.kind == "scale" else options


def form_payload(questionnaire: Questionnaire, version: QuestionnaireVersion | None = None) -> dict:
    """What the interviewer's phone renders: the version's questions and options (no correct
    answers, no scores)."""
    version = version or questionnaire.current_version
    questions = version_questions(version) if version else []
    return {
        "questionnaire": questionnaire.pk,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "status": questionnaire.status,
        "version": version.pk if version else None,
        "version_number": version.number if version else None,
        "questions": [
            {
                "id": q.pk,
                "number": i,
                "text": q.text,
                "kind": q.kind,
                "required": q.required,
                "help": q.help_text,
                "options": [{"id": o.pk, "text": o.text} for o in _in_order(q)],
            }
            for i, q in enumerate(questions, start=1)
        ],
    }


def channel_counts(questionnaire: Questionnaire) -> list[tuple[str, int]]:
    """Answers so far per channel, every channel listed (0 when none)."""
    counts = dict(questionnaire.responses.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    return [(label, counts.get(value, 0)) for value, label in Channel.choices]


def refusal_table(questionnaire: Questionnaire, days: int = 30) -> dict:
    """Refused public answers: per day (newest first, the last `days` days with any) and reason,
    with the totals per reason."""
    rows = Refusal.objects.filter(questionnaire=questionnaire).order_by("-day")
    by_day: dict = {}
    for row in rows:
        by_day.setdefault(row.day, {})[row.reason] = row.count
    reasons = list(RefusalReason.choices)
    totals = dict(rows.values_list("reason").annotate(n=Sum("count")).values_list("reason", "n"))
    return {
        "reasons": [label for _value, label in reasons],
        "rows": [
            (day, [counts.get(value, 0) for value, _label in reasons]) for day, counts in list(by_day.items())[:days]
        ],
        "totals": [totals.get(value, 0) for value, _label in reasons],
        "total": sum(totals.values()),
    }
