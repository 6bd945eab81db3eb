"""The questionnaire builder: creating, the question rules, versions, the sampling plan,
open/close with the frozen results, the owner level, and the pages."""

from unittest import mock

import pytest
from django.urls import reverse

from apps.core.exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from apps.core.models import AuditEvent
from apps.surveys.choices import Channel, Demographic, QuestionKind, QuestionRole, SurveyStatus
from apps.surveys.models import Question, Questionnaire, Response
from apps.surveys.selectors import questionnaires as selectors
from apps.surveys.services import questionnaires as services
from apps.surveys.services.responses import response_submit

K, B, S, D = QuestionRole.KNOWLEDGE, QuestionRole.BEHAVIOUR, QuestionRole.SATISFACTION, QuestionRole.DEMOGRAPHIC


def _add(actor, q, role=K, kind=QuestionKind.SINGLE, text="题", options=None, demographic=""):
    if options is None:
        options = [{"text": "对", "marked": True}, {"text": "错"}]
    return services.question_add(
        actor=actor, questionnaire=q, text=text, kind=kind, role=role, options=options, demographic=demographic
    )


@pytest.fixture
def survey(org):
    return services.questionnaire_create(actor=org.community, jurisdiction=org.comm_a1, title="甲一社区知晓率调查")


def test_create_makes_a_draft_with_version_1_and_audits(org, survey):
    assert survey.status == SurveyStatus.DRAFT
    assert survey.current_version.number == 1
    assert AuditEvent.objects.filter(action="surveys.questionnaire.created").count() == 1


def test_create_outside_scope_and_for_a_reader_is_refused(org):
    with pytest.raises(OutsideJurisdiction):
        services.questionnaire_create(actor=org.community, jurisdiction=org.comm_a2, title="x")
    with pytest.raises(PermissionDeniedForRole):
        services.questionnaire_create(actor=org.grid, jurisdiction=org.grid_a1, title="x")


@pytest.mark.parametrize(
    ("role", "kind", "options", "demographic", "message"),
    [
        (K, QuestionKind.SINGLE, [{"text": "对"}, {"text": "错"}], "", "正确答案"),
        (B, QuestionKind.SINGLE, [{"text": "是"}, {"text": "否"}], "", "健康行为"),
        (QuestionRole.GENERAL, QuestionKind.SINGLE, [{"text": "只有一个"}], "", "至少需要两个选项"),
        (K, QuestionKind.SINGLE, [{"text": "a", "marked": True}, {"text": "a"}], "", "不能重复"),
        (K, QuestionKind.SINGLE, [{"text": "a", "marked": True}, {"text": "b", "marked": True}], "", "只能有一个"),
        (S, QuestionKind.SINGLE, [], "", "满意度量表"),
        (D, QuestionKind.SINGLE, [], "", "基本情况项"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(org, survey, role, kind, options, demographic, message):
    with pytest.raises(DomainError) as error:
        _add(org.community, survey, role=role, kind=kind, options=options, demographic=demographic)
    assert message in str(error.value.message)
    assert Question.objects.count() == 0


def test_generated_options_scale_demographics_and_one_per_demographic(org, survey):
    scale = _add(org.community, survey, role=S, kind=QuestionKind.SCALE, options=[])
    assert [(o.text, o.score) for o in scale.options.all()] == [
        ("很满意", 5),
        ("满意", 4),
        ("一般", 3),
        ("不满意", 2),
        ("很不满意", 1),
    ]
    assert services.demographics_quick_start(actor=org.community, questionnaire=survey) == 4
    community = Question.objects.get(version=survey.current_version, demographic=Demographic.COMMUNITY)
    # the survey belongs to community A1: its only community option is itself
    assert [o.community for o in community.options.all()] == [org.comm_a1]
    age = Question.objects.get(version=survey.current_version, demographic=Demographic.AGE_GROUP)
    assert [o.value for o in age.options.all()] == ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    with pytest.raises(DomainError, match="只能有一道题"):
        _add(org.community, survey, role=D, options=[], demographic=Demographic.SEX)
    assert services.demographics_quick_start(actor=org.community, questionnaire=survey) == 0
    assert [q.sort for q in selectors.current_questions(survey)] == [1, 2, 3, 4, 5]


def test_a_street_survey_lists_its_two_communities(org):
    q = services.questionnaire_create(actor=org.street, jurisdiction=org.street_a, title="街道调查")
    item = _add(org.street, q, role=D, options=[], demographic=Demographic.COMMUNITY)
    assert [o.community for o in item.options.all()] == [org.comm_a1, org.comm_a2]


def test_open_needs_a_measured_question(org, survey):
    with pytest.raises(DomainError, match="还没有题目"):
        services.questionnaire_step(actor=org.community, questionnaire=survey, step="open")
    _add(org.community, survey, role=QuestionRole.GENERAL, options=[{"text": "a"}, {"text": "b"}])
    with pytest.raises(DomainError, match="至少需要一道知识题"):
        services.questionnaire_step(actor=org.community, questionnaire=survey, step="open")
    _add(org.community, survey)
    opened = services.questionnaire_step(actor=org.community, questionnaire=survey, step="open")
    assert opened.status == SurveyStatus.OPEN and opened.opened_at is not None


def test_the_owner_level_alone_changes_a_survey(org):
    street_survey = services.questionnaire_create(actor=org.street, jurisdiction=org.street_a, title="街道调查")
    # the community sees the street's survey (listed read-only) but cannot change it
    assert street_survey in selectors.questionnaire_list(user=org.community)
    assert street_survey not in selectors.questionnaire_list(user=org.community_b)
    with pytest.raises(PermissionDeniedForRole):
        _add(org.community, street_survey)
    with pytest.raises(PermissionDeniedForRole):
        services.questionnaire_step(actor=org.community, questionnaire=street_survey, step="open")


def test_editing_an_open_survey_makes_version_2_and_answers_keep_version_1(org, survey):
    k1 = _add(org.community, survey, text="四害是指？")
    k2 = _add(org.community, survey, text="控烟")
    services.questionnaire_step(actor=org.community, questionnaire=survey, step="open")
    survey.refresh_from_db()
    v1 = survey.current_version
    r = response_submit(
        questionnaire=survey,
        chosen={k1.pk: [k1.options.first().pk], k2.pk: [k2.options.first().pk]},
        channel=Channel.PUBLIC,
    )
    edited = services.question_edit(
        actor=org.community,
        question=k1,
        text="“四害”是指哪四种？",
        options=[{"text": "老鼠、蚊子、苍蝇、蟑螂", "marked": True}, {"text": "老鼠、麻雀、苍蝇、蚊子"}],
    )
    survey.refresh_from_db()
    v2 = survey.current_version
    assert (v1.number, v2.number) == (1, 2)
    assert edited.version == v2 and edited.pk != k1.pk
    # the answer keeps v1 and its v1 wording
    r.refresh_from_db()
    k1.refresh_from_db()
    assert r.version == v1 and k1.text == "四害是指？"
    assert [o.text for o in k1.options.all()] == ["对", "错"]
    assert list(v1.questions.values_list("text", flat=True)) == ["四害是指？", "控烟"]
    assert list(v2.questions.values_list("text", flat=True)) == ["“四害”是指哪四种？", "控烟"]
    # further edits go to v2 (no v3): delete one
    services.question_delete(actor=org.community, question=v2.questions.get(text="控烟"))
    survey.refresh_from_db()
    assert survey.current_version == v2 and v2.questions.count() == 1
    counts = {v.number: v.n_responses for v in selectors.versions(survey)}
    assert counts == {1: 1, 2: 0}
    # a question of the old version cannot be edited any more
    with pytest.raises(DomainError, match="当前版本"):
        services.question_edit(actor=org.community, question=k2, text="x", options=[])


def test_a_draft_is_edited_in_place(org, survey):
    k = _add(org.community, survey)
    services.question_edit(
        actor=org.community, question=k, text="新题目", options=[{"text": "a", "marked": True}, {"text": "b"}]
    )
    survey.refresh_from_db()
    assert survey.versions.count() == 1
    k.refresh_from_db()
    assert k.text == "新题目"


def test_sampling_plan_and_progress(org):
    q = services.questionnaire_create(actor=org.street, jurisdiction=org.street_a, title="街道调查")
    k = _add(org.street, q)
    age = _add(org.street, q, role=D, options=[], demographic=Demographic.AGE_GROUP)
    services.sampling_save(
        actor=org.street,
        questionnaire=q,
        expected_version=q.version,
        targets={org.comm_a1: 200, org.comm_a2: 155},
        quotas={"25-34": 60, "65+": 0},
    )
    with pytest.raises(ConcurrentEdit):
        services.sampling_save(actor=org.street, questionnaire=q, expected_version=q.version, targets={}, quotas={})
    with pytest.raises(DomainError, match="不在本问卷的辖区内"):
        services.sampling_save(
            actor=org.street, questionnaire=q, expected_version=None, targets={org.comm_b1: 10}, quotas={}
        )
    services.questionnaire_step(actor=org.street, questionnaire=q, step="open")
    q.refresh_from_db()
    a25 = age.options.get(value="25-34")
    for _i in range(3):
        response_submit(
            questionnaire=q,
            chosen={k.pk: [k.options.first().pk], age.pk: [a25.pk]},
            channel=Channel.INTERVIEW,
            actor=org.community,
            community=org.comm_a1,
        )
    progress = selectors.sampling_progress(q)
    assert progress["communities"] == [
        {"name": "甲一社区", "target": 200, "done": 3, "percent": 2},  # 3/200 = 1.5% → 2
        {"name": "甲二社区", "target": 155, "done": 0, "percent": 0},
    ]
    assert progress["ages"] == [{"name": "25–34岁", "target": 60, "done": 3, "percent": 5}]
    assert (progress["total_done"], progress["total_target"]) == (3, 355)


def test_close_freezes_the_results_in_the_same_transaction(org, survey):
    _add(org.community, survey)
    services.questionnaire_step(actor=org.community, questionnaire=survey, step="open")
    with mock.patch("apps.surveys.results.snapshot", return_value={"n": 7}) as snap:
        closed = services.questionnaire_step(actor=org.community, questionnaire=survey, step="close")
    snap.assert_called_once()
    assert closed.status == SurveyStatus.CLOSED and closed.frozen_results == {"n": 7}
    with pytest.raises(DomainError, match="已结束"):
        _add(org.community, closed)
    copy = services.questionnaire_copy(actor=org.community, questionnaire=closed)
    assert copy.status == SurveyStatus.DRAFT and copy.current_version.questions.count() == 1
    assert Response.objects.count() == 0


def test_pages_owner_edits_reader_reads(client, org, survey):
    _add(org.community, survey, text="吸烟有害健康吗？")
    client.force_login(org.community)
    page = client.get(reverse("surveys:questionnaire_detail", args=[survey.pk])).content.decode()
    assert "吸烟有害健康吗？" in page and 'data-testid="question-add"' in page
    bad = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "知识题", "kind": "single", "role": "knowledge", "options": "对\n错", "required": "on"},
    )
    assert bad.status_code == 400 and "正确答案" in bad.content.decode()
    good = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "行为题", "kind": "single", "role": "behaviour", "options": "*每天\n从不", "required": "on"},
    )
    assert good.status_code == 302
    assert Question.objects.get(text="行为题").options.get(text="每天").is_healthy
    client.force_login(org.grid)
    page = client.get(reverse("surveys:questionnaire_detail", args=[survey.pk])).content.decode()
    assert "吸烟有害健康吗？" in page
    assert 'data-testid="question-add"' not in page and "questionnaire-step-open" not in page
    listed = client.get(reverse("surveys:questionnaire_list")).content.decode()
    assert "甲一社区知晓率调查" in listed
    assert client.get(reverse("surveys:questionnaire_list") + "?status=bogus").status_code == 400


def test_questionnaire_form_refuses_bad_dates(client, org):
    client.force_login(org.community)
    response = client.post(
        reverse("surveys:questionnaire_create"),
        {
            "title": "x",
            "aware_share": "60",
            "behaviour_share": "60",
            "positive_from": "4",
            "device_window_hours": "24",
            "planned_start": "2026-05-02",
            "planned_end": "2026-05-01",
        },
    )
    assert response.status_code == 400 and "计划结束日期不能早于" in response.content.decode()
    assert Questionnaire.objects.count() == 0


def test_api_lists_scoped_surveys_with_current_questions(client, org, survey):
    _add(org.community, survey, text="吸烟有害健康吗？")
    services.questionnaire_create(actor=org.community_other, jurisdiction=org.comm_a2, title="甲二调查")
    client.force_login(org.grid)
    data = client.get("/api/v1/questionnaires/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["title"] for r in rows] == ["甲一社区知晓率调查"]
    detail = client.get(f"/api/v1/questionnaires/{survey.pk}/").json()
    assert detail["version_number"] == 1
    assert [q["text"] for q in detail["questions"]] == ["吸烟有害健康吗？"]
    assert [(o["text"], o["is_correct"]) for o in detail["questions"][0]["options"]] == [("对", True), ("错", False)]


def test_demo_builds_an_open_street_survey_with_answers_and_a_community_draft(org):
    from apps.demo.context import Demo
    from apps.surveys.demo.builder import build

    build(Demo(case_count=12, street=org.street_a, communities=[org.comm_a1, org.comm_a2]))
    q = Questionnaire.objects.get(title="创卫知晓率及满意度调查")
    assert q.status == SurveyStatus.OPEN
    roles = list(q.current_version.questions.values_list("role", flat=True))
    assert (roles.count(D), roles.count(K), roles.count(B), roles.count(S)) == (4, 8, 5, 3)
    assert sum(t.target for t in q.sampling_targets.all()) == 355
    assert q.responses.count() == 40
    assert q.responses.filter(community=org.comm_a1).count() == 20
    assert Questionnaire.objects.get(title="甲一社区控烟知识调查").status == SurveyStatus.DRAFT


def test_api_step_opens_for_the_owner_and_refuses_a_reader(client, org, survey):
    _add(org.community, survey)
    client.force_login(org.grid)
    url = f"/api/v1/questionnaires/{survey.pk}/step/"
    assert client.post(url, {"name": "open"}, content_type="application/json").status_code == 403
    client.force_login(org.community)
    response = client.post(url, {"name": "close", "version": survey.version}, content_type="application/json")
    assert response.status_code in (400, 409)
    # The version read is required (a change without it is refused), a stale one answers 409.
    assert client.post(url, {"name": "open"}, content_type="application/json").status_code == 400
    stale = client.post(url, {"name": "open", "version": survey.version + 7}, content_type="application/json")
    assert stale.status_code == 409
    response = client.post(url, {"name": "open", "version": survey.version}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "open"


def test_an_administrator_without_a_jurisdiction_is_asked_to_choose_one(client, org):
    from apps.accounts.models import User
    from apps.core.roles import Role

    admin = User.objects.create_user(username="t_admin_free", password="x", role=Role.ADMIN)
    client.force_login(admin)
    page = client.post(
        reverse("surveys:questionnaire_create"),
        {
            "title": "全市知晓率调查",
            "aware_share": "60",
            "behaviour_share": "60",
            "positive_from": "4",
            "device_window_hours": "720",
        },
    )
    assert page.status_code == 400
    assert "请选择问卷所属辖区。" in page.content.decode()
    assert not Questionnaire.objects.filter(title="全市知晓率调查").exists()
