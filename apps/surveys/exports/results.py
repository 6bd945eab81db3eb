"""The answers of one survey as .xlsx: one row per response with its version, channel, time,
demographic columns, the chosen option texts per question of that version and the scores.
Never the device hash, the interviewer or anything that identifies a respondent.

Built with openpyxl's write-only workbook into a temporary file, reading the answers in chunks
(a few queries per 2,000 responses), so memory stays flat however many responses there are."""

from __future__ import annotations

import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..models import Answer, Question, Response

CHUNK = 2000


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def answers_workbook(questionnaire):
    """A temporary file holding the .xlsx (the caller streams and closes it)."""
    questions = list(
        Question.objects.filter(version__questionnaire=questionnaire)
        .select_related("version")
        .prefetch_related("options")
        .order_by("-version__number", "sort", "id")
    )
    options = {o.pk: o.text for q in questions for o in q.options.all()}
    versions: dict[int, list[Question]] = {}
    for q in questions:
        versions.setdefault(q.version_id, []).append(q)
    header = [_("答卷编号"), _("版本"), _("方式"), _("作答时间"), _("社区"), _("年龄段"), _("性别"), _("居住类型")]
    version_numbers = {q.version_id: q.version.number for q in questions}
    question_columns = []  # (version number, number in version) headers: one column per question of each version
    for version_id, qs in sorted(versions.items(), key=lambda kv: -version_numbers[kv[0]]):
        for i, q in enumerate(qs, start=1):
            question_columns.append(q.pk)
            label = _("v{version} 第{number}题 {text}")
            header.append(label.format(version=version_numbers[version_id], number=i, text=q.text))
    header += [_("答对知识题"), _("知识题数"), _("知晓"), _("健康行为题"), _("行为题数"), _("行为形成")]
    header += [_("满意回答"), _("满意度回答")]
    index = {qid: i for i, qid in enumerate(question_columns)}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("答卷"))
    sheet.append(header)
    responses = (
        Response.objects.filter(questionnaire=questionnaire).select_related("community", "version").order_by("pk")
    )
    last = 0
    while True:
        chunk = list(responses.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        chosen: dict[int, dict[int, list[str]]] = {}
        for response_id, question_id, option_id in (
            Answer.objects.filter(response_id__in=[r.pk for r in chunk])
            .order_by("response_id", "question_id", "option_id")
            .values_list("response_id", "question_id", "option_id")
        ):
            chosen.setdefault(response_id, {}).setdefault(question_id, []).append(options.get(option_id, ""))
        for r in chunk:
            cells = [""] * len(question_columns)
            for qid, texts in chosen.get(r.pk, {}).items():
                if qid in index:
                    cells[index[qid]] = "；".join(texts)
            sheet.append(
                [
                    r.pk,
                    r.version.number,
                    str(r.get_channel_display()),
                    timezone.localtime(r.answered_at).strftime("%Y-%m-%d %H:%M"),
                    r.community.name if r.community else "",
                    str(r.get_age_group_display()) if r.age_group else "",
                    str(r.get_sex_display()) if r.sex else "",
                    str(r.get_resident_type_display()) if r.resident_type else "",
                    *cells,
                    r.knowledge_correct,
                    r.knowledge_total,
                    _yes(r.aware),
                    r.behaviour_healthy,
                    r.behaviour_total,
                    _yes(r.behaviour_formed),
                    r.satisfaction_positive,
                    r.satisfaction_total,
                ]
            )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
