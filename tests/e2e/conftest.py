"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

A browser that cannot start is an error, never a skip: CI must prove the pages work.
"""

import copy
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.snapshot import Snapshot

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "Chuangwei@2026"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/bootstrap.sh --browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation to the console, where `new_page` collects it.
# (An init script runs through DevTools, so the page's policy does not block it.)
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def is_csp_violation(text: str) -> bool:
    return text.startswith(("CSP violation", "Refused to")) or "Content Security Policy" in text


@pytest.fixture
def new_page(browser, live_server):
    """A page factory. Every browser test also fails on a Content-Security-Policy violation
    (issue 9): an inline script, handler, eval or foreign source the policy blocked."""
    contexts = []
    violations = []

    def make(viewport=DESKTOP, **kwargs):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, locale="zh-CN", accept_downloads=True, **kwargs
        )
        context.set_default_timeout(15000)
        context.add_init_script(CSP_REPORTER)
        contexts.append(context)
        page = context.new_page()
        # Confirmation dialogs (delete/remove) are accepted, as the person clicking meant to.
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("console", lambda m: violations.append(f"{page.url}: {m.text}") if is_csp_violation(m.text) else None)
        return page

    make.csp_violations = violations
    yield make
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


_SNAPSHOTS: dict[tuple, Snapshot] = {}


def snapshot_demo(**options):
    """The demo street built with `options`: for real in the first test of this process that asks
    for it, from a snapshot of that build in every later one (tests/snapshot.py). Either way the
    test starts from the same tables, media files and `Demo` as a fresh build on an empty database."""
    from django.core.management import call_command

    from apps.demo.services import demo_build

    key = tuple(sorted(options.items()))
    if key in _SNAPSHOTS:
        return _SNAPSHOTS[key].restore()
    # The empty database every later test starts from (a test that commits ends with this flush).
    call_command("flush", interactive=False, verbosity=0)
    _SNAPSHOTS[key] = snapshot = Snapshot.build(lambda: demo_build(**options))
    return copy.deepcopy(snapshot.result)


@pytest.fixture(scope="session", autouse=True)
def _discard_snapshots():
    yield
    for snapshot in _SNAPSHOTS.values():
        snapshot.discard()


@pytest.fixture
def demo(transactional_db):
    return snapshot_demo(case_count=12, inspection_months=0)


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_no_horizontal_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"
