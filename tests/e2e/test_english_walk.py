"""A street officer switches to English and walks a case, the inbox and the inspection pages:
no Chinese punctuation in the pages' own words, reference data and notifications in English,
and the case's map shows the landmark layers (named areas, a search box) like the other maps."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from apps.accounts.models import User
from apps.cases.models import Case
from apps.core.tests.test_english import CHINESE_PUNCTUATION, _stored_texts
from apps.inspections.models import ChecklistTemplate, Inspection, InspectionPlan, InspectionRound
from apps.notifications.models import Notification

from .conftest import login

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("CHUANGWEI_SHOTS", Path(tempfile.gettempdir()) / "shots"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo_with_inspections(transactional_db):
    from apps.demo.services import demo_build

    return demo_build(case_count=12, inspection_months=2)


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"en-{name}.png"), full_page=True)


def _own_words(page, texts) -> str:
    """The page's text without what people typed (every text value stored in the database)."""
    text = page.locator("main").inner_text()
    for stored in texts:
        text = text.replace(stored, "")
    return text


def _walk(page, texts, url, name) -> str:
    page.goto(url)
    words = _own_words(page, texts)
    assert not CHINESE_PUNCTUATION.search(words), (
        url,
        [words[max(m.start() - 30, 0) : m.end() + 10] for m in CHINESE_PUNCTUATION.finditer(words)][:5],
    )
    _shot(page, name)
    return words


def test_english_walk_through_a_case_the_inbox_and_inspections(new_page, demo_with_inspections, settings):
    settings.MAP_TILE_URL = ""
    street = User.objects.get(username="street")
    page = new_page()
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    login(page, "street")
    texts = _stored_texts()

    home = _walk(page, texts, "/", "home")
    page.wait_for_selector("[data-map][data-landmarks=ready]")  # the area map has its landmarks
    assert "Unread notifications" in home

    case = Case.objects.filter(jurisdiction__path__startswith=street.jurisdiction.path, lat__isnull=False).first()
    words = _walk(page, texts, case.get_absolute_url(), "case")
    assert "Responsible unit" in words or "Status" in words
    page.wait_for_selector("[data-map][data-landmarks=ready]")
    assert page.locator("[data-map-search]").get_attribute("placeholder").startswith("Search")
    assert page.locator(".map-label-area").count() > 0
    _shot(page, "case-map")

    assert Notification.objects.filter(recipient=street).exclude(message_key="").exists()
    inbox = _walk(page, texts, "/notifications/", "inbox")
    messages = page.locator("[data-testid=notifications] td:nth-child(2)").all_inner_texts()
    assert messages and not any(CJK.search(_strip(m, texts)) for m in messages), messages
    assert "Notifications" in inbox

    template = ChecklistTemplate.objects.filter(is_active=True).order_by("id").first()
    plan = InspectionPlan.objects.order_by("id").first()
    round_ = InspectionRound.objects.order_by("-id").first()
    sheet = Inspection.objects.filter(status="submitted", target_unit__isnull=False).order_by("id").first()
    for url, name in [
        ("/inspections/", "inspections"),
        ("/inspections/checklists/", "checklists"),
        (template.get_absolute_url(), "checklist"),
        ("/inspections/plans/", "plans"),
        (plan.get_absolute_url(), "plan"),
        (round_.get_absolute_url(), "round"),
        (sheet.get_absolute_url(), "sheet"),
        ("/inspections/rankings/", "ranking"),
    ]:
        words = _walk(page, texts, url, name)
        assert not re.search("已提交|检查中|待检查", words), url  # statuses, also in the recorded history


def _strip(text, texts):
    for stored in texts:
        text = text.replace(stored, "")
    return text
