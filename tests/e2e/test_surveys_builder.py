"""The questionnaire builder in the browser (issue 13, item 4): the community desk creates a
survey, adds the demographic items in one click and a knowledge, a behaviour and a satisfaction
item, sets the sampling plan, opens it, edits a question (→ version 2) and closes it; a grid
worker of the community sees it read-only on a phone."""

import pytest

from apps.surveys.choices import SurveyStatus
from apps.surveys.models import Questionnaire
from tests.builders import PASSWORD, build_org

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _question(page, text, role, options="", kind="single"):
    page.get_by_test_id("question-text").fill(text)
    page.get_by_test_id("question-kind").select_option(kind)
    page.get_by_test_id("question-role").select_option(role)
    if options:
        page.get_by_test_id("question-options").fill(options)
    page.get_by_test_id("question-save-again").click()
    page.wait_for_selector(".messages, [role=status], .message", state="attached")


def test_community_builds_opens_versions_and_closes_a_survey(transactional_db, new_page):
    org = build_org()
    page = new_page()
    login(page, org.community.username, PASSWORD)
    page.goto("/surveys/")
    page.get_by_test_id("questionnaire-new").click()
    page.get_by_test_id("q-title").fill("甲一社区创卫知晓率调查")
    page.get_by_test_id("q-description").fill("您好！为了解居民健康知识知晓情况，请您花几分钟填写本问卷。")
    page.get_by_test_id("questionnaire-save").click()
    page.get_by_test_id("question-demographics").click()
    assert page.get_by_test_id("question-list").locator(":scope > li").count() == 4
    page.get_by_test_id("question-add").click()
    # a knowledge item without a correct option is refused with a message
    page.get_by_test_id("question-text").fill("“四害”是指哪四种？")
    page.get_by_test_id("question-role").select_option("knowledge")
    page.get_by_test_id("question-options").fill("老鼠、蚊子、苍蝇、蟑螂\n老鼠、麻雀、苍蝇、蚊子")
    page.get_by_test_id("question-save").click()
    assert "正确答案" in page.locator(".form-errors, .errorlist").first.inner_text()
    page.get_by_test_id("question-options").fill("*老鼠、蚊子、苍蝇、蟑螂\n老鼠、麻雀、苍蝇、蚊子")
    page.get_by_test_id("question-save-again").click()
    _question(page, "您家是否做到垃圾分类投放？", "behaviour", "*每次都分类\n有时分类\n从不分类")
    page.get_by_test_id("question-text").fill("您对本社区环境卫生是否满意？")
    page.get_by_test_id("question-kind").select_option("scale")
    page.get_by_test_id("question-role").select_option("satisfaction")
    page.get_by_test_id("question-save").click()
    q = Questionnaire.objects.get(title="甲一社区创卫知晓率调查")
    assert q.current_version.questions.count() == 7
    shot(page, "surveys-builder-detail")

    page.get_by_test_id("sampling-edit").click()
    page.get_by_test_id(f"target-{org.comm_a1.pk}").fill("355")
    page.get_by_test_id("quota-65+").fill("60")
    page.get_by_test_id("sampling-save").click()
    assert page.get_by_test_id("sampling-target").inner_text() == "355"

    page.get_by_test_id("questionnaire-step-open").click()
    page.wait_for_selector("[data-testid=questionnaire-step-close]")
    assert page.get_by_test_id("questionnaire-status").inner_text() == "调查中"
    page.get_by_test_id("question-edit-5").click()
    assert page.get_by_test_id("question-new-version").is_visible()
    page.get_by_test_id("question-text").fill("“四害”是指哪四种病媒生物？")
    page.get_by_test_id("question-save").click()
    assert page.get_by_test_id("questionnaire-version").inner_text() == "v2"
    assert page.get_by_test_id("version-table").locator("tr").count() == 3  # header, v2, v1
    shot(page, "surveys-builder-v2")
    page.get_by_test_id("questionnaire-step-close").click()
    page.wait_for_selector("[data-testid=questionnaire-copy]")
    q.refresh_from_db()
    assert q.status == SurveyStatus.CLOSED and q.current_version.number == 2

    phone = new_page(viewport=PHONE)
    login(phone, org.grid.username, PASSWORD)
    phone.goto(f"/surveys/{q.pk}/")
    assert phone.get_by_test_id("questionnaire-title").inner_text() == "甲一社区创卫知晓率调查"
    assert phone.get_by_test_id("question-add").count() == 0
    assert phone.get_by_test_id("questionnaire-actions").count() == 0
    assert_no_horizontal_overflow(phone)
    shot(phone, "surveys-builder-phone")
