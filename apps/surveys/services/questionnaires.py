"""Writes of the questionnaire builder: creating a survey, its questions (versioned once
opened), the sampling plan, and the open/close steps. Every function keyword-only, atomic,
role- and scope-checked, owner-checked (workflow.owns: only the owner level changes a survey)
and audited.

Versions: a draft is edited in place (its current version). Once opened, a version that was
current at the opening or has answers is frozen: the first edit copies it (questions and
options) into the next version, which becomes current; answers keep the version they answered.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, snapshot
from apps.core.exceptions import ConcurrentEdit, DomainError, PermissionDeniedForRole
from apps.core.permissions import ensure_in_scope, ensure_jurisdiction_in_scope, ensure_role_allows

from ..choices import DEMOGRAPHIC_VALUES, Demographic, QuestionKind, QuestionRole, SurveyStatus
from ..models import AgeQuota, Option, Question, Questionnaire, QuestionnaireVersion, SamplingTarget
from ..workflow import NOT_YOURS, QUESTIONNAIRE_WORKFLOW, owns

FIELDS = [
    "title",
    "description",
    "standard",
    "aware_share",
    "behaviour_share",
    "positive_from",
    "public_enabled",
    "device_window_hours",
    "planned_start",
    "planned_end",
]
SCALE_LABELS = ["很满意", "满意", "一般", "不满意", "很不满意"]
SCALE_SCORES = [5, 4, 3, 2, 1]
MAX_OPTIONS = 20


def _lock(questionnaire: Questionnaire, actor, expected_version: int | None = None) -> Questionnaire:
    locked = (
        Questionnaire.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=questionnaire.pk)
    )
    ensure_in_scope(actor, locked, "change")
    if actor is not None and not owns(locked, actor):
        raise PermissionDeniedForRole(NOT_YOURS)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit()
    return locked


def _check_dates(start, end) -> None:
    if start and end and end < start:
        raise DomainError(_("计划结束日期不能早于计划开始日期。"))


@transaction.atomic
def questionnaire_create(*, actor, jurisdiction, **values) -> Questionnaire:
    """A new draft survey of `jurisdiction` (in the actor's scope) with an empty version 1."""
    ensure_role_allows(actor, Questionnaire, "add")
    ensure_jurisdiction_in_scope(actor, jurisdiction)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("该字段不能修改。"))
    _check_dates(values.get("planned_start"), values.get("planned_end"))
    q = Questionnaire(jurisdiction=jurisdiction, created_by=actor if getattr(actor, "pk", None) else None, **values)
    q.full_clean()
    q.save()
    version = QuestionnaireVersion.objects.create(questionnaire=q, number=1, created_by=q.created_by)
    q.current_version = version
    q.save(update_fields=["current_version"])
    audit_record(actor=actor, obj=q, action="surveys.questionnaire.created", data={"after": snapshot(q, FIELDS)})
    return q


@transaction.atomic
def questionnaire_update(*, actor, questionnaire: Questionnaire, expected_version: int | None, changes: dict):
    """Change the survey's settings (title, 卷首语, standard, scoring rules …); refused once closed."""
    locked = _lock(questionnaire, actor, expected_version)
    if locked.status == SurveyStatus.CLOSED:
        raise DomainError(_("调查已结束，不能修改。"))
    if set(changes) - set(FIELDS):
        raise DomainError(_("该字段不能修改。"))
    before = snapshot(locked, list(changes))
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_dates(locked.planned_start, locked.planned_end)
    locked.full_clean()
    after = snapshot(locked, list(changes))
    changed = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
    if changed:
        locked.version += 1
        locked.save()
        audit_record(actor=actor, obj=locked, action="surveys.questionnaire.updated", data={"changes": changed})
    return locked


# Versions ----------------------------------------------------------------------------------


def is_frozen(questionnaire: Questionnaire, version: QuestionnaireVersion) -> bool:
    """A version is frozen once its survey was opened with it, or once it has answers."""
    if questionnaire.status == SurveyStatus.DRAFT:
        return version.responses.exists()
    if questionnaire.opened_at and version.created_at <= questionnaire.opened_at:
        return True
    return version.responses.exists()


def _copy_version(questionnaire: Questionnaire, source: QuestionnaireVersion, actor) -> tuple:
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=number, created_by=actor if getattr(actor, "pk", None) else None
    )
    mapping = {}
    for question in source.questions.prefetch_related("options"):
        old_pk = question.pk
        options = list(question.options.all())
        question.pk = None
        question.version = new
        question.save()
        mapping[old_pk] = question
        for option in options:
            option.pk = None
            option.question = question
            option.save()
    questionnaire.current_version = new
    questionnaire.save(update_fields=["current_version"])
    audit_record(
        actor=actor,
        obj=questionnaire,
        action="surveys.questionnaire.versioned",
        data={"version_from": source.number, "version_to": number},
    )
    return new, mapping


def _editable(locked: Questionnaire, actor) -> tuple:
    """The version edits go to (copying a frozen current version first) and the mapping from
    the current version's question ids to the editable version's questions."""
    if locked.status == SurveyStatus.CLOSED:
        raise DomainError(_("调查已结束，不能修改题目。"))
    version = locked.current_version
    if version is None:
        version = QuestionnaireVersion.objects.create(questionnaire=locked, number=1)
        locked.current_version = version
        locked.save(update_fields=["current_version"])
    if is_frozen(locked, version):
        return _copy_version(locked, version, actor)
    return version, {q.pk: q for q in version.questions.all()}


def _options_for(*, questionnaire, kind, role, demographic, options) -> list[dict]:
    """The checked options of a question (dicts of Option fields)."""
    if role == QuestionRole.DEMOGRAPHIC:
        if demographic not in Demographic.values:
            raise DomainError(_("请选择基本情况项（年龄段、性别、所在社区或居住类型）。"))
        if demographic == Demographic.COMMUNITY:
            communities = plan_communities(questionnaire)
            made = [{"text": c.name, "community": c} for c in communities]
            if not made:
                raise DomainError(_("本辖区下没有社区，不能添加“所在社区”题。"))
            return made
        return [{"text": str(label), "value": value} for value, label in DEMOGRAPHIC_VALUES[demographic].choices]
    if demographic:
        raise DomainError(_("只有基本情况题才能选择基本情况项。"))
    if kind == QuestionKind.SCALE or role == QuestionRole.SATISFACTION:
        if kind != QuestionKind.SCALE:
            raise DomainError(_("满意度题应为满意度量表题型。"))
        return [{"text": label, "score": score} for label, score in zip(SCALE_LABELS, SCALE_SCORES, strict=True)]
    clean = [o for o in options if o["text"].strip()]
    if len(clean) < 2:
        raise DomainError(_("选择题至少需要两个选项。"))
    if len(clean) > MAX_OPTIONS:
        raise DomainError(_("选项不能超过 {n} 个。").format(n=MAX_OPTIONS))
    if len({o["text"].strip() for o in clean}) != len(clean):
        raise DomainError(_("选项不能重复。"))
    marked = [o for o in clean if o.get("marked")]
    if role == QuestionRole.KNOWLEDGE and not marked:
        raise DomainError(_("知识题至少要标出一个正确答案（在选项前加 *）。"))
    if role == QuestionRole.BEHAVIOUR and not marked:
        raise DomainError(_("行为题至少要标出一个健康行为选项（在选项前加 *）。"))
    if kind == QuestionKind.SINGLE and role == QuestionRole.KNOWLEDGE and len(marked) > 1:
        raise DomainError(_("单选知识题只能有一个正确答案。"))
    if role not in (QuestionRole.KNOWLEDGE, QuestionRole.BEHAVIOUR) and marked:
        raise DomainError(_("只有知识题和行为题可以标记选项（*）。"))
    return [
        {
            "text": o["text"].strip(),
            "is_correct": role == QuestionRole.KNOWLEDGE and bool(o.get("marked")),
            "is_healthy": role == QuestionRole.BEHAVIOUR and bool(o.get("marked")),
        }
        for o in clean
    ]


def _check_question(version, *, kind, role, demographic, text, exclude=None) -> None:
    if kind not in QuestionKind.values or role not in QuestionRole.values:
        raise DomainError(_("未知的题型或用途。"))
    if not text.strip():
        raise DomainError(_("请填写题目。"))
    if role == QuestionRole.DEMOGRAPHIC:
        if kind != QuestionKind.SINGLE:
            raise DomainError(_("基本情况题应为单选题。"))
        same = version.questions.filter(demographic=demographic)
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if same.exists():
            raise DomainError(_("每个基本情况项只能有一道题。"))
    if role == QuestionRole.SATISFACTION and kind != QuestionKind.SCALE:
        raise DomainError(_("满意度题应为满意度量表题型。"))
    if kind == QuestionKind.SCALE and role not in (QuestionRole.SATISFACTION, QuestionRole.GENERAL):
        raise DomainError(_("量表题只能用于满意度题或一般题。"))


def _save_options(question, rows) -> None:
    question.options.all().delete()
    for i, row in enumerate(rows, start=1):
        Option.objects.create(question=question, sort=i, **row)


def _question_record(question) -> dict:
    return {
        "text": question.text,
        "kind": question.get_kind_display(),
        "role": question.get_role_display(),
        "options": [o.text for o in question.options.all()],
    }


@transaction.atomic
def question_add(
    *,
    actor,
    questionnaire: Questionnaire,
    text: str,
    kind: str,
    role: str,
    demographic: str = "",
    options: list[dict] | None = None,
    required: bool = True,
    help_text: str = "",
) -> Question:
    """Add a question at the end of the editable version. `options`: dicts with `text` and
    `marked` (correct for a knowledge item, healthy for a behaviour item); a scale gets 1–5, a
    demographic item its codes (communities: the survey area's communities)."""
    locked = _lock(questionnaire, actor)
    version, _mapping = _editable(locked, actor)
    _check_question(version, kind=kind, role=role, demographic=demographic, text=text)
    rows = _options_for(questionnaire=locked, kind=kind, role=role, demographic=demographic, options=options or [])
    sort = (version.questions.aggregate(n=Max("sort"))["n"] or 0) + 1
    question = Question.objects.create(
        version=version,
        sort=sort,
        text=text.strip(),
        kind=kind,
        role=role,
        demographic=demographic if role == QuestionRole.DEMOGRAPHIC else "",
        required=required,
        help_text=help_text,
    )
    _save_options(question, rows)
    audit_record(
        actor=actor,
        obj=locked,
        action="surveys.question.added",
        data={"version_number": version.number, "after": _question_record(question)},
    )
    return question


@transaction.atomic
def question_edit(
    *,
    actor,
    question: Question,
    text: str,
    options: list[dict] | None = None,
    required: bool = True,
    help_text: str = "",
) -> Question:
    """Change a question's wording and options (kind and role stay). On a frozen version the
    edit goes to the next version (copied first)."""
    locked = _lock(question.version.questionnaire, actor)
    if question.version_id != locked.current_version_id:
        raise DomainError(_("只能修改当前版本的题目。"))
    before = _question_record(question)
    version, mapping = _editable(locked, actor)
    target = mapping[question.pk]
    _check_question(
        version, kind=target.kind, role=target.role, demographic=target.demographic, text=text, exclude=target
    )
    if target.role not in (QuestionRole.DEMOGRAPHIC, QuestionRole.SATISFACTION) and target.kind != QuestionKind.SCALE:
        rows = _options_for(
            questionnaire=locked, kind=target.kind, role=target.role, demographic="", options=options or []
        )
        _save_options(target, rows)
    target.text = text.strip()
    target.required = required
    target.help_text = help_text
    target.save()
    audit_record(
        actor=actor,
        obj=locked,
        action="surveys.question.changed",
        data={"version_number": version.number, "before": before, "after": _question_record(target)},
    )
    return target


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    locked = _lock(question.version.questionnaire, actor)
    if question.version_id != locked.current_version_id:
        raise DomainError(_("只能修改当前版本的题目。"))
    before = _question_record(question)
    version, mapping = _editable(locked, actor)
    mapping[question.pk].delete()
    for i, q in enumerate(version.questions.order_by("sort", "id"), start=1):
        if q.sort != i:
            q.sort = i
            q.save(update_fields=["sort"])
    audit_record(
        actor=actor,
        obj=locked,
        action="surveys.question.deleted",
        data={"version_number": version.number, "before": before},
    )


@transaction.atomic
def question_move(*, actor, question: Question, up: bool) -> None:
    """Swap a question with the one above (up) or below it."""
    locked = _lock(question.version.questionnaire, actor)
    if question.version_id != locked.current_version_id:
        raise DomainError(_("只能修改当前版本的题目。"))
    version, mapping = _editable(locked, actor)
    ordered = list(version.questions.order_by("sort", "id"))
    target = mapping[question.pk]
    i = [q.pk for q in ordered].index(target.pk)
    j = i - 1 if up else i + 1
    if j < 0 or j >= len(ordered):
        return
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for n, q in enumerate(ordered, start=1):
        if q.sort != n:
            q.sort = n
            q.save(update_fields=["sort"])
    audit_record(actor=actor, obj=locked, action="surveys.question.moved", data={"version_number": version.number})


QUICK_DEMOGRAPHICS = [
    (Demographic.AGE_GROUP, "您的年龄段是？"),
    (Demographic.SEX, "您的性别是？"),
    (Demographic.COMMUNITY, "您居住在哪个社区？"),
    (Demographic.RESIDENT_TYPE, "您的居住类型是？"),
]


@transaction.atomic
def demographics_quick_start(*, actor, questionnaire: Questionnaire) -> int:
    """Add the standard demographic items the current version lacks; returns how many."""
    locked = _lock(questionnaire, actor)
    version, _mapping = _editable(locked, actor)
    have = set(version.questions.exclude(demographic="").values_list("demographic", flat=True))
    added = 0
    has_communities = plan_communities(locked).exists()
    for demographic, text in QUICK_DEMOGRAPHICS:
        if demographic in have or (demographic == Demographic.COMMUNITY and not has_communities):
            continue
        question_add(
            actor=actor,
            questionnaire=locked,
            text=_(text),
            kind=QuestionKind.SINGLE,
            role=QuestionRole.DEMOGRAPHIC,
            demographic=demographic,
        )
        added += 1
    return added


# Sampling plan -----------------------------------------------------------------------------


def plan_communities(questionnaire: Questionnaire):
    from apps.organization.models import Jurisdiction

    return Jurisdiction.objects.filter(
        path__startswith=questionnaire.jurisdiction.path, level__code="community"
    ).order_by("path")


@transaction.atomic
def sampling_save(
    *, actor, questionnaire: Questionnaire, expected_version: int | None, targets: dict, quotas: dict
) -> Questionnaire:
    """Replace the sampling plan: `targets` {community: n or None}, `quotas` {age group: n or
    None}; empty or 0 removes a row. Communities must lie in the survey's area."""
    locked = _lock(questionnaire, actor, expected_version)
    if locked.status == SurveyStatus.CLOSED:
        raise DomainError(_("调查已结束，不能修改抽样方案。"))
    allowed = {c.pk for c in plan_communities(locked)}
    for community, n in targets.items():
        if community.pk not in allowed:
            raise DomainError(_("社区「{name}」不在本问卷的辖区内。").format(name=community.name))
        if n is not None and not 0 <= n <= 1_000_000:
            raise DomainError(_("样本量应为 0 至 1000000 之间的整数。"))
    for _group, n in quotas.items():
        if n is not None and not 0 <= n <= 1_000_000:
            raise DomainError(_("样本量应为 0 至 1000000 之间的整数。"))
    locked.sampling_targets.all().delete()
    locked.age_quotas.all().delete()
    for community, n in targets.items():
        if n:
            SamplingTarget.objects.create(questionnaire=locked, community=community, target=n)
    for group, n in quotas.items():
        if n:
            AgeQuota.objects.create(questionnaire=locked, age_group=group, target=n)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="surveys.questionnaire.sampling_saved",
        data={
            "targets": {c.name: n for c, n in targets.items() if n},
            "quotas": {str(g): n for g, n in quotas.items() if n},
        },
    )
    return locked


# Open / close ------------------------------------------------------------------------------


def _guard_open(locked: Questionnaire) -> None:
    version = locked.current_version
    questions = version.questions.all() if version else Question.objects.none()
    if not questions.exists():
        raise DomainError(_("问卷还没有题目，不能开始调查。"))
    measured = (QuestionRole.KNOWLEDGE, QuestionRole.BEHAVIOUR, QuestionRole.SATISFACTION)
    if not questions.filter(role__in=measured).exists():
        raise DomainError(_("问卷至少需要一道知识题、行为题或满意度题才能开始调查。"))


@transaction.atomic
def questionnaire_step(*, actor, questionnaire: Questionnaire, step: str, expected_version: int | None = None):
    """Open (needs questions, one of them measured) or close (freezes the results in the same
    transaction) a survey, through QUESTIONNAIRE_WORKFLOW."""
    if step not in QUESTIONNAIRE_WORKFLOW:
        raise DomainError(_("未知的操作。"))
    if step == "open":
        return QUESTIONNAIRE_WORKFLOW.perform(
            "open",
            obj=questionnaire,
            actor=actor,
            expected_version=expected_version,
            guard=_guard_open,
            changes={"opened_at": timezone.now()},
        )

    def frozen(locked):
        from .. import results

        return {"closed_at": timezone.now(), "frozen_results": results.snapshot(locked)}

    return QUESTIONNAIRE_WORKFLOW.perform(
        step, obj=questionnaire, actor=actor, expected_version=expected_version, changes=frozen
    )


@transaction.atomic
def questionnaire_copy(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """The next round of a survey: a new draft with the same settings, questions and plan."""
    ensure_role_allows(actor, Questionnaire, "add")
    source = _lock(questionnaire, actor)
    values = {name: getattr(source, name) for name in FIELDS}
    values["title"] = (_("{title}（下一轮）").format(title=source.title))[:100]
    values["planned_start"] = values["planned_end"] = None
    copy = questionnaire_create(actor=actor, jurisdiction=source.jurisdiction, **values)
    if source.current_version:
        for question in source.current_version.questions.prefetch_related("options"):
            options = list(question.options.all())
            question.pk = None
            question.version = copy.current_version
            question.save()
            for option in options:
                option.pk = None
                option.question = question
                option.save()
    for t in source.sampling_targets.all():
        SamplingTarget.objects.create(questionnaire=copy, community_id=t.community_id, target=t.target)
    for a in source.age_quotas.all():
        AgeQuota.objects.create(questionnaire=copy, age_group=a.age_group, target=a.target)
    audit_record(actor=actor, obj=copy, action="surveys.questionnaire.copied", data={"source": source.title})
    return copy
