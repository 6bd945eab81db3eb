"""Reads of the questionnaire builder: the scoped list, one survey's current questions, its
versions with their answer counts, and the sampling plan's progress."""

from django.db.models import Count

from ..choices import AgeGroup
from ..filters.builder import QuestionnaireFilterSet
from ..models import Question, Questionnaire, Response


def questionnaire_list(*, user, filters=None):
    """Surveys in the user's scope and those of the levels above (scope_q), filtered
    (InvalidFilters when refused), newest first, with their answer counts."""
    rows = Questionnaire.objects.restrict(user, "view").select_related("jurisdiction", "current_version")
    rows = QuestionnaireFilterSet.apply(rows, filters, user=user)
    return rows.annotate(n_responses=Count("responses", distinct=True)).order_by("-created_at", "-id")


def current_questions(questionnaire: Questionnaire) -> list[Question]:
    if questionnaire.current_version_id is None:
        return []
    return list(
        Question.objects.filter(version_id=questionnaire.current_version_id)
        .prefetch_related("options__community")
        .order_by("sort", "id")
    )


def versions(questionnaire: Questionnaire):
    return questionnaire.versions.annotate(n_responses=Count("responses")).order_by("-number")


def sampling_progress(questionnaire: Questionnaire) -> dict:
    """Answers so far against the plan, per community and per age group."""
    responses = Response.objects.filter(questionnaire=questionnaire)
    by_community = dict(
        responses.exclude(community=None).values_list("community").annotate(n=Count("id")).values_list("community", "n")
    )
    by_age = dict(
        responses.exclude(age_group="").values_list("age_group").annotate(n=Count("id")).values_list("age_group", "n")
    )
    labels = dict(AgeGroup.choices)
    communities = [
        {"name": t.community.name, "target": t.target, "done": by_community.get(t.community_id, 0)}
        for t in questionnaire.sampling_targets.select_related("community").order_by("community__path")
    ]
    ages = [
        {"name": labels.get(a.age_group, a.age_group), "target": a.target, "done": by_age.get(a.age_group, 0)}
        for a in questionnaire.age_quotas.all()
    ]
    order = list(labels)
    ages.sort(key=lambda row: order.index(next(k for k, v in labels.items() if v == row["name"])))
    for row in communities + ages:
        row["percent"] = min(100, round(100 * row["done"] / row["target"])) if row["target"] else 0
    return {
        "communities": communities,
        "ages": ages,
        "total_target": sum(r["target"] for r in communities),
        "total_done": responses.count(),
    }
