"""A community survey from the builder to its results, as the issue walks it (issue 13, "Done
means"): the community desk builds a 10-question survey in the browser and opens its QR page;
three residents answer on phone-sized screens (the third twice: refused and counted); a grid
worker interviews two residents face to face with the connection dropped in between; the
results page shows n = 5 and the three rates with their Wilson intervals, held by hand below.
Between the residents and the interviews the desk rewords an item (version 2: the answers keep
their version). Then the desk closes the survey: the results stay, a late interview is refused on
the phone, and the grid worker reads the survey with nothing to change.

The ten items: the four demographic items, three knowledge items, two behaviour items and one
satisfaction scale. Scoring rules as shipped: aware when ≥ 60% of the knowledge items are right
(2 of 3), behaviour formed when ≥ 60% of the behaviour items are healthy (2 of 2), satisfied at
a score of 4 or 5.

    respondent   knowledge right   healthy   scale   aware  formed  satisfied
    resident 1         3              2        5       ✓      ✓       ✓
    resident 2         2              1        3       ✓      –       –
    resident 3         1              2        2       –      ✓       –
    interview 1        3              2        3       ✓      ✓       –
    interview 2        2              0        4       ✓      –       ✓
                                                     4/5    3/5     2/5

Wilson 95% (z = 1.96) for n = 5: 4/5 → 80.0% [37.6%, 96.4%]; 3/5 → 60.0% [23.1%, 88.2%];
2/5 → 40.0% [11.8%, 76.9%].
"""

import time

import pytest
from django.urls import reverse

from apps.surveys.choices import Channel, RefusalReason
from apps.surveys.models import Questionnaire, Refusal, Response
from tests.builders import PASSWORD, build_org

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser

KNOWLEDGE = [
    ("“四害”是指哪四种？", "*老鼠、蚊子、苍蝇、蟑螂\n老鼠、麻雀、苍蝇、蚊子"),
    ("预防登革热最有效的措施是？", "*清除积水、翻盆倒罐\n多喝热水"),
    ("吸烟和被动吸烟会导致哪些疾病？", "*肺癌、心脏病等多种疾病\n不会导致疾病"),
]
BEHAVIOUR = [
    ("您家是否做到垃圾分类投放？", "*每次都分类\n有时分类\n从不分类"),
    ("您饭前便后是否洗手？", "*每次都洗\n有时洗\n很少洗"),
]
SATISFACTION = "您对本社区的环境卫生是否满意？"

# Per respondent: the option index of each knowledge and behaviour item (0 = the starred one),
# and the score given on the satisfaction scale.
RESIDENTS = [([0, 0, 0], [0, 0], 5), ([0, 0, 1], [0, 1], 3), ([0, 1, 1], [0, 0], 2)]
INTERVIEWS = [([0, 0, 0], [0, 0], 3), ([1, 0, 0], [1, 2], 4)]


def _eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the answers did not reach the server"
        time.sleep(0.1)


def _add(page, text, role, options="", kind="single"):
    page.get_by_test_id("question-text").fill(text)
    page.get_by_test_id("question-kind").select_option(kind)
    page.get_by_test_id("question-role").select_option(role)
    if options:
        page.get_by_test_id("question-options").fill(options)
    page.get_by_test_id("question-save-again").click()
    page.get_by_test_id("question-text").wait_for()


def _answer(page, knowledge, behaviour, score):
    """The demographic items' first options, then the given picks, on the public page or the
    interviewer's page (both render the same items)."""
    questions = page.get_by_test_id("question")
    assert questions.count() == 10
    picks = [0, 0, 0, 0, *knowledge, *behaviour]
    for i, pick in enumerate(picks):
        questions.nth(i).locator(".opt").nth(pick).click()
    questions.nth(9).locator(".answer-scale label").nth(score - 1).click()


def test_a_community_survey_from_the_builder_to_its_results(transactional_db, new_page):
    org = build_org()

    # The community desk builds the survey: 4 demographic items in one click, then 6 more.
    desk = new_page()
    login(desk, org.community.username, PASSWORD)
    desk.goto("/surveys/")
    desk.get_by_test_id("questionnaire-new").click()
    desk.get_by_test_id("q-title").fill("甲一社区健康知识知晓率调查")
    desk.get_by_test_id("q-description").fill("您好！为了解居民健康知识知晓和健康行为情况，请您花几分钟填写本问卷。")
    desk.get_by_test_id("questionnaire-save").click()
    desk.get_by_test_id("question-demographics").click()
    desk.get_by_test_id("question-add").click()
    # A knowledge item without its correct answer marked is refused with a message.
    desk.get_by_test_id("question-text").fill(KNOWLEDGE[0][0])
    desk.get_by_test_id("question-role").select_option("knowledge")
    desk.get_by_test_id("question-options").fill(KNOWLEDGE[0][1].replace("*", ""))
    desk.get_by_test_id("question-save").click()
    assert "正确答案" in desk.locator(".form-errors, .errorlist").first.inner_text()
    for text, options in KNOWLEDGE:
        _add(desk, text, "knowledge", options)
    for text, options in BEHAVIOUR:
        _add(desk, text, "behaviour", options)
    desk.get_by_test_id("question-text").fill(SATISFACTION)
    desk.get_by_test_id("question-kind").select_option("scale")
    desk.get_by_test_id("question-role").select_option("satisfaction")
    desk.get_by_test_id("question-save").click()
    assert desk.get_by_test_id("question-list").locator(":scope > li").count() == 10
    survey = Questionnaire.objects.get(title="甲一社区健康知识知晓率调查")
    assert survey.current_version.questions.count() == 10

    # A sampling plan of 40 for the community, then the survey opens.
    desk.get_by_test_id("sampling-edit").click()
    desk.get_by_test_id(f"target-{org.comm_a1.pk}").fill("40")
    desk.get_by_test_id("sampling-save").click()
    desk.get_by_test_id("questionnaire-step-open").click()
    desk.wait_for_selector("[data-testid=questionnaire-step-close]")

    # Its QR page: the code drawn locally, the link residents open.
    desk.get_by_test_id("survey-tabs").get_by_role("link", name="答题渠道").click()
    assert desk.get_by_test_id("qr").locator("svg").count() == 1
    link = reverse("surveys:answer", args=[survey.public_token])
    assert link in desk.get_by_test_id("public-link").inner_text()
    shot(desk, "surveys-walk-channels")
    channels = desk.url
    desk.get_by_test_id("poster-link").click()
    assert survey.title in desk.get_by_test_id("poster").inner_text()
    shot(desk, "surveys-walk-poster")

    # Three residents, each on a phone of their own; the third has the page open twice.
    phones = []
    for number, (knowledge, behaviour, score) in enumerate(RESIDENTS, start=1):
        phone = new_page(viewport=PHONE)
        phone.goto(link)
        if number == 1:  # a required item left out is asked for; nothing is stored
            phone.get_by_test_id("question").first.locator(".opt").first.click()
            phone.get_by_test_id("answer-submit").click()
            assert "请回答第2题。" in phone.get_by_test_id("answer-page").inner_text()
            assert not Response.objects.filter(questionnaire=survey).exists()
            shot(phone, "surveys-walk-answer-phone")
        if number == 3:
            again = phone.context.new_page()
            again.goto(link)
            _answer(again, knowledge, behaviour, score)
        _answer(phone, knowledge, behaviour, score)
        assert_no_horizontal_overflow(phone)
        phone.get_by_test_id("answer-submit").click()
        phone.get_by_test_id("answer-thanks").wait_for()
        phones.append(phone)
    assert Response.objects.filter(questionnaire=survey, channel=Channel.PUBLIC).count() == 3
    again.get_by_test_id("answer-submit").click()
    assert "您已参与过本次调查" in again.get_by_test_id("answer-refused").inner_text()
    shot(again, "surveys-walk-refused-phone")
    assert Response.objects.filter(questionnaire=survey, channel=Channel.PUBLIC).count() == 3
    assert Refusal.objects.get(questionnaire=survey, reason=RefusalReason.DUPLICATE).count == 1

    # The desk rewords an item of the open survey: version 2; the answers so far keep version 1.
    desk.goto(reverse("surveys:questionnaire_detail", args=[survey.pk]))
    desk.get_by_test_id("question-edit-5").click()
    assert desk.get_by_test_id("question-new-version").is_visible()
    desk.get_by_test_id("question-text").fill("“四害”是指哪四种病媒生物？")
    desk.get_by_test_id("question-save").click()
    assert desk.get_by_test_id("questionnaire-version").inner_text() == "v2"
    assert set(Response.objects.filter(questionnaire=survey).values_list("version__number", flat=True)) == {1}
    shot(desk, "surveys-walk-v2")

    # The grid worker interviews two residents; the connection drops between the two.
    interviewer = new_page(viewport=PHONE)
    login(interviewer, org.grid.username, PASSWORD)
    interviewer.goto(reverse("surveys:interview", args=[survey.pk]))
    interviewer.wait_for_function("() => document.getElementById('interview').dataset.ready === '1'")
    _answer(interviewer, *INTERVIEWS[0])
    interviewer.get_by_test_id("interview-save").click()
    _eventually(lambda: Response.objects.filter(questionnaire=survey, channel=Channel.INTERVIEW).count() == 1)
    interviewer.context.set_offline(True)
    interviewer.wait_for_function("() => document.getElementById('interview').dataset.ready === '1'")
    _answer(interviewer, *INTERVIEWS[1])
    interviewer.get_by_test_id("interview-save").click()
    interviewer.wait_for_function("() => document.querySelector('[data-testid=outbox-count]').dataset.pending === '1'")
    shot(interviewer, "surveys-walk-interview-offline-phone")
    assert Response.objects.filter(questionnaire=survey, channel=Channel.INTERVIEW).count() == 1
    interviewer.context.set_offline(False)
    interviewer.evaluate("window.dispatchEvent(new Event('online'))")
    interviewer.wait_for_function("() => document.querySelector('[data-testid=outbox-count]').dataset.pending === '0'")
    _eventually(lambda: Response.objects.filter(questionnaire=survey, channel=Channel.INTERVIEW).count() == 2)

    # What the database holds agrees with the table in the docstring.
    rows = Response.objects.filter(questionnaire=survey)
    assert rows.count() == 5
    assert sorted(rows.values_list("version__number", flat=True)) == [1, 1, 1, 2, 2]
    assert rows.filter(aware=True).count() == 4
    assert rows.filter(behaviour_formed=True).count() == 3
    assert sorted(rows.values_list("satisfaction_positive", flat=True)) == [0, 0, 0, 1, 1]

    # The results page: n = 5 and the three rates with their intervals.
    _assert_results(desk, survey)
    desk.goto(channels)
    assert desk.get_by_test_id("channel-count").all_inner_texts() == ["3", "2"]

    # The desk closes the survey: the results freeze; a late interview is refused with the
    # server's message on the phone, and discarded there.
    desk.goto(reverse("surveys:questionnaire_detail", args=[survey.pk]))
    desk.get_by_test_id("questionnaire-step-close").click()
    desk.wait_for_selector("[data-testid=questionnaire-copy]")
    _answer(interviewer, *INTERVIEWS[0])
    interviewer.get_by_test_id("interview-save").click()
    refused = interviewer.get_by_test_id("refused-list").locator("li")
    refused.first.wait_for()
    assert "调查已结束" in refused.first.inner_text()
    shot(interviewer, "surveys-walk-interview-refused-phone")
    interviewer.get_by_test_id("refused-discard").click()
    interviewer.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 0")
    assert Response.objects.filter(questionnaire=survey).count() == 5
    _assert_results(desk, survey)

    # The grid worker reads the survey on the phone, with nothing to change.
    interviewer.goto(reverse("surveys:questionnaire_detail", args=[survey.pk]))
    assert interviewer.get_by_test_id("questionnaire-title").inner_text() == survey.title
    assert interviewer.get_by_test_id("question-add").count() == 0
    assert interviewer.get_by_test_id("questionnaire-actions").count() == 0
    assert_no_horizontal_overflow(interviewer)


def _assert_results(page, survey):
    page.goto(reverse("surveys:questionnaire_results", args=[survey.pk]))
    assert page.get_by_test_id("respondents").inner_text() == "5"
    for key, value, interval, counted in (
        ("awareness", "80.0%", "37.6%–96.4%", "4 / 5"),
        ("behaviour", "60.0%", "23.1%–88.2%", "3 / 5"),
        ("satisfaction", "40.0%", "11.8%–76.9%", "2 / 5"),
    ):
        card = page.get_by_test_id(f"rate-{key}")
        assert card.get_by_test_id("rate-value").inner_text() == value
        assert interval in card.get_by_test_id("rate-interval").inner_text()
        assert counted in card.get_by_test_id("rate-n").inner_text()
    # 5 answers against a plan of 40 for the community: the sample is flagged.
    assert "5 / 计划 40" in page.get_by_test_id("sample-warning").inner_text()
    page.get_by_test_id("results-chart").locator("canvas, svg").first.wait_for()
    shot(page, "surveys-walk-results")
