"""Answering a survey on phones (issue 13, item 4): a resident opens the public link, is told
which items are missing, answers, and a second try from the same phone is refused; an
interviewer enters one answer online, a second with the connection dropped (kept in the
outbox), and both reach the server once the connection returns. The channels page (QR code)
and the poster are photographed on desktop and phone."""

import time

import pytest
from django.urls import reverse

from apps.surveys.choices import Channel, RefusalReason
from apps.surveys.models import Refusal, Response

from .conftest import DESKTOP, PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the answers did not reach the server"
        time.sleep(0.1)


def _answer(page):
    """First option of every item (scale: 4; multiple choice: its first two)."""
    questions = page.get_by_test_id("question")
    for i in range(questions.count()):
        q = questions.nth(i)
        if q.locator(".answer-scale").count():
            q.locator(".answer-scale label").nth(3).click()
        else:
            q.locator(".opt").first.click()
            if q.locator("input[type=checkbox]").count():
                q.locator(".opt").nth(1).click()


def test_residents_and_an_interviewer_answer_on_phones(new_page, transactional_db):
    from apps.surveys.tests.world_answering import open_survey
    from tests.builders import PASSWORD, build_org

    org = build_org()
    survey = open_survey(org.street_a)
    link = reverse("surveys:answer", args=[survey.public_token])

    # The community desk's channels page: the link, the QR code, the counts.
    desk = new_page(viewport=DESKTOP)
    login(desk, "t_comm", PASSWORD)
    desk.goto(reverse("surveys:questionnaire_channels", args=[survey.pk]))
    assert desk.get_by_test_id("qr").locator("svg").count() == 1
    assert link in desk.get_by_test_id("public-link").inner_text()
    shot(desk, "surveys-channels-desktop")
    desk.get_by_test_id("poster-link").click()
    assert survey.title in desk.get_by_test_id("poster").inner_text()
    shot(desk, "surveys-poster-desktop")

    # A resident scans the code: a required item left out is asked for, nothing stored.
    resident = new_page(viewport=PHONE)
    resident.goto(link)
    shot(resident, "surveys-answer-phone")
    resident.get_by_test_id("question").first.locator(".opt").first.click()
    resident.get_by_test_id("answer-submit").click()
    assert "请回答第2题。" in resident.get_by_test_id("answer-page").inner_text()
    assert Response.objects.count() == 0
    # The same phone has the page open in a second tab, answered too.
    second_tab = resident.context.new_page()
    second_tab.goto(link)
    _answer(second_tab)
    _answer(resident)
    shot(resident, "surveys-answer-filled-phone")
    assert_no_horizontal_overflow(resident)
    resident.get_by_test_id("answer-submit").click()
    resident.get_by_test_id("answer-thanks").wait_for()
    assert Response.objects.filter(channel=Channel.PUBLIC).count() == 1
    stored = Response.objects.get(channel=Channel.PUBLIC)
    assert (stored.knowledge_correct, stored.satisfaction_positive) == (2, 1)  # 有害, 老鼠+蚊子; scale 4 ≥ 4

    # The second try from the same phone is refused and counted; opening the link again says so.
    second_tab.get_by_test_id("answer-submit").click()
    assert "您已参与过本次调查" in second_tab.get_by_test_id("answer-refused").inner_text()
    shot(second_tab, "surveys-answer-refused-phone")
    resident.goto(link)
    assert "您已参与过本次调查" in resident.get_by_test_id("answer-refused").inner_text()
    assert Response.objects.filter(channel=Channel.PUBLIC).count() == 1
    assert Refusal.objects.get(questionnaire=survey, reason=RefusalReason.DUPLICATE).count == 1

    # An interviewer (a grid worker of a community of the street) on a phone.
    phone = new_page(viewport=PHONE)
    login(phone, "t_grid", PASSWORD)
    phone.goto(reverse("surveys:interview", args=[survey.pk]))
    phone.wait_for_function("() => document.getElementById('interview').dataset.ready === '1'")
    _answer(phone)
    phone.get_by_test_id("interview-save").click()
    _eventually(lambda: Response.objects.filter(channel=Channel.INTERVIEW).count() == 1)
    phone.wait_for_function("() => document.querySelector('[data-testid=interview-saved]').textContent === '1'")

    # The connection drops: the second answer stays in the outbox.
    phone.context.set_offline(True)
    _answer(phone)
    phone.get_by_test_id("interview-save").click()
    phone.wait_for_function("() => document.querySelector('[data-testid=outbox-count]').dataset.pending === '1'")
    assert "待上传 1 份" in phone.get_by_test_id("outbox-count").inner_text()
    assert "网络已断开" in phone.get_by_test_id("sync-state").inner_text()
    shot(phone, "surveys-interview-offline-phone")
    assert_no_horizontal_overflow(phone)
    assert Response.objects.filter(channel=Channel.INTERVIEW).count() == 1

    # Back online: the outbox empties, each answer stored once.
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_function("() => document.querySelector('[data-testid=outbox-count]').dataset.pending === '0'")
    _eventually(lambda: Response.objects.filter(channel=Channel.INTERVIEW).count() == 2)
    assert Response.objects.filter(questionnaire=survey).count() == 3
    assert set(Response.objects.filter(channel=Channel.INTERVIEW).values_list("interviewer__username", flat=True)) == {
        "t_grid"
    }

    # The survey is closed: a late answer is refused, shown with the server's message, discarded.
    survey.status = "closed"
    survey.save(update_fields=["status"])
    _answer(phone)
    phone.get_by_test_id("interview-save").click()
    refused = phone.get_by_test_id("refused-list").locator("li")
    refused.first.wait_for()
    assert "调查已结束，不再接收答卷。" in refused.first.inner_text()
    assert phone.get_by_test_id("outbox-count").get_attribute("data-pending") == "0"
    shot(phone, "surveys-interview-refused-phone")
    phone.get_by_test_id("refused-discard").click()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 0")
    assert Response.objects.filter(questionnaire=survey).count() == 3

    # The desk sees 1 + 2 answers; the phone's channels page fits the screen.
    desk.goto(reverse("surveys:questionnaire_channels", args=[survey.pk]))
    counts = desk.get_by_test_id("channel-count").all_inner_texts()
    assert counts == ["1", "2"]
    phone.goto(reverse("surveys:questionnaire_channels", args=[survey.pk]))
    shot(phone, "surveys-channels-phone")
    assert_no_horizontal_overflow(phone)
    assert not Refusal.objects.filter(reason=RefusalReason.BOT).exists()
