"""The builder part of surveys' access-matrix world: community A1's draft survey (two
questions), a ready one (a knowledge item, to open) and a closed one (to copy)."""


def extend(o) -> None:
    from apps.surveys.choices import QuestionKind, QuestionRole
    from apps.surveys.services import questionnaires as services

    def knowledge(q, text):
        return services.question_add(
            actor=o.community,
            questionnaire=q,
            text=text,
            kind=QuestionKind.SINGLE,
            role=QuestionRole.KNOWLEDGE,
            options=[{"text": "对", "marked": True}, {"text": "错"}],
        )

    o.bq_draft = services.questionnaire_create(actor=o.community, jurisdiction=o.comm_a1, title="甲一社区知晓率调查")
    o.bq_question = knowledge(o.bq_draft, "全国爱国卫生月是每年几月？")
    o.bq_question_del = knowledge(o.bq_draft, "四害是指哪四种？")
    o.bq_ready = services.questionnaire_create(actor=o.community, jurisdiction=o.comm_a1, title="待开始调查")
    knowledge(o.bq_ready, "吸烟有害健康吗？")
    o.bq_ready_api = services.questionnaire_create(actor=o.community, jurisdiction=o.comm_a1, title="接口开始调查")
    knowledge(o.bq_ready_api, "吸烟有害健康吗？")
    o.bq_closed = services.questionnaire_create(actor=o.community, jurisdiction=o.comm_a1, title="已结束调查")
    knowledge(o.bq_closed, "垃圾分类有几类？")
    services.questionnaire_step(actor=o.community, questionnaire=o.bq_closed, step="open")
    services.questionnaire_step(actor=o.community, questionnaire=o.bq_closed, step="close")
