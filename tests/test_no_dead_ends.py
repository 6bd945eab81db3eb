"""No dead ends: every link, tab and button a demo user is shown opens for that user.

Logs in as every demo role, starts at the home page and follows every link (`<a href>`,
`hx-get`, GET forms with their default values) breadth first, GET only, and fails on any
403, 404 or 5xx, naming the page that showed the link. Pages of one kind (same URL name and
query keys) are sampled twice rather than all, so the crawl stays bounded.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from apps.core.testing import data_for_module

SAMPLES_PER_KIND = 2
MAX_PAGES = 700
SKIP_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/api/schema/")
ROLES = ["admin", "cwb", "street", "dongyuan", "grid", "inspector", "unit", "leader"]


class Links(HTMLParser):
    """The GET targets of one page: links, HTMX GETs, and GET forms submitted as they stand."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        if attrs.get("hx-get"):
            self.targets.append(attrs["hx-get"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "fields": []}
        elif self._form is not None and tag in ("input", "select") and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") not in ("submit", "button", "file"):
                self._form["fields"].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            query = urlencode([(k, v) for k, v in self._form["fields"] if v])
            self.targets.append(f"{self._form['action']}?{query}" if query else self._form["action"] or "?")
            self._form = None


def _kind(path: str, query: str) -> tuple | None:
    try:
        match = resolve(path)
    except Resolver404:
        return ("unresolved", path)
    return (match.view_name, tuple(sorted({key for key, _ in parse_qsl(query)} - {"page"})))


def crawl(client, start="/") -> tuple[list[str], int]:
    failures, seen, sampled = [], {start}, {}
    queue = deque([(start, "(start)")])
    visited = 0
    while queue and visited < MAX_PAGES:
        url, referrer = queue.popleft()
        visited += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if "/accounts/login/" in location:
                failures.append(f"{url} (from {referrer}) sends a signed-in user to the login page")
            elif location not in seen:
                seen.add(location)
                queue.append((location, url))
            continue
        if response.status_code in (403, 404) or response.status_code >= 500:
            failures.append(f"{response.status_code} {url} (linked from {referrer})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for target in parser.targets:
            absolute = urljoin(url, target)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
                continue
            if not parts.path or parts.path.startswith(SKIP_PREFIXES) or target.startswith(("#", "javascript:")):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local in seen:
                continue
            kind = _kind(parts.path, parts.query)
            if sampled.get(kind, 0) >= SAMPLES_PER_KIND:
                continue
            sampled[kind] = sampled.get(kind, 0) + 1
            seen.add(local)
            queue.append((local, url))
    return failures, visited


@pytest.fixture(scope="module")
def demo_street(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker):
        call_command("build_demo", verbosity=0)
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_link_opens_for_the_user_who_sees_it(demo_street, client, username):
    from apps.accounts.models import User

    client.raise_request_exception = False  # a server error is a finding like a 404, not a crash
    client.force_login(User.objects.get(username=username))
    failures, visited = crawl(client)
    assert visited > 10, f"{username} reached only {visited} pages"
    assert not failures, f"{username}: " + "\n".join(failures)
