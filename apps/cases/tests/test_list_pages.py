"""Pages of the case list by key (apps/core/keyset.py): the API's `cursor`, the page's numbered
pages then "next/previous" by key. Order stable with equal timestamps, no row repeated or
skipped when cases arrive between two fetches, filters kept, a bad cursor refused (400)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.api.views import CaseViewSet
from apps.cases.choices import CaseStatus
from apps.cases.models import Case
from apps.cases.views import CaseListView
from apps.core.api import KeysetPagination
from apps.core.keyset import Cursor

from .test_api import LIST, report

pytestmark = pytest.mark.django_db


def many(org, cats, n: int, *, at=None, status=CaseStatus.REPORTED) -> list[Case]:
    """`n` copies of one reported case of 幸福网格, all created at `at` (equal timestamps)."""
    first = report(org, cats)
    at = at or first.created_at
    copies = [
        Case(
            code=f"AJT{first.pk}-{i:03d}",
            category=first.category,
            jurisdiction=first.jurisdiction,
            status=status,
            description=first.description,
            created_at=at,
        )
        for i in range(n - 1)
    ]
    Case.objects.bulk_create(copies)
    Case.objects.filter(pk=first.pk).update(created_at=at, status=status)
    return [*Case.objects.filter(code__startswith=f"AJT{first.pk}-"), Case.objects.get(pk=first.pk)]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(KeysetPagination, "page_size", 3)
    monkeypatch.setattr(CaseListView, "paginate_by", 2)
    monkeypatch.setattr(CaseListView, "numbered_pages", 2)


def walk(client, url, params=None) -> list[dict]:
    """Every page of the API list from `url`, following `next`."""
    pages = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append(body)
        if not body["next"]:
            return pages
        response = client.get(body["next"])


def test_api_pages_by_key_with_equal_timestamps(client, org, cats, small_pages):
    cases = many(org, cats, 8)
    client.force_login(org.community)
    pages = walk(client, LIST)
    ids = [row["id"] for page in pages for row in page["results"]]
    # Newest first by (created_at, id): with one timestamp, by id descending; each case once.
    assert ids == sorted((c.pk for c in cases), reverse=True)
    assert [len(p["results"]) for p in pages] == [3, 3, 2]
    assert pages[0]["previous"] is None and pages[1]["previous"]
    # `previous` of the second page is the first page again.
    back = client.get(pages[1]["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in pages[0]["results"]]
    assert back["previous"] is None and back["next"]


def test_api_rows_arriving_between_fetches_neither_repeat_nor_skip(client, org, cats, small_pages):
    cases = many(org, cats, 7, at=timezone.now() - timedelta(hours=1))
    client.force_login(org.community)
    first = client.get(LIST).json()
    # New reports arrive (newer, and one more at the very same timestamp as the others).
    report(org, cats)
    many(org, cats, 2, at=timezone.now() - timedelta(hours=1))
    seen = [r["id"] for r in first["results"]]
    response = client.get(first["next"])
    while True:
        body = response.json()
        seen += [r["id"] for r in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])
    original = sorted((c.pk for c in cases), reverse=True)
    assert len(seen) == len(set(seen))
    assert [pk for pk in seen if pk in set(original)] == original
    # The rows added later sort before the cursor of page 1 (newer, or a higher id): not shown.
    assert set(seen) == set(original)


def test_api_filters_kept_across_pages(client, org, cats, small_pages):
    many(org, cats, 4, status=CaseStatus.REGISTERED)
    reported = many(org, cats, 5)
    client.force_login(org.community)
    pages = walk(client, LIST, {"status": "reported"})
    assert all("status=reported" in p["next"] for p in pages if p["next"])
    ids = [row["id"] for page in pages for row in page["results"]]
    assert sorted(ids) == sorted(c.pk for c in reported)


def test_api_bad_cursor_is_a_400(client, org, cats):
    client.force_login(org.community)
    good = Cursor(timezone.now(), 5).encode()
    for bad in ("abc", "!!", good[:-3], "bnwyMDI2LTAxLTAxfDE", "x" * 300, "bnx4fDE"):
        response = client.get(LIST, {"cursor": bad})
        assert response.status_code == 400, bad
        body = response.json()
        assert body["code"] == "invalid" and "cursor" in body["errors"]
        assert "翻页位置" in body["errors"]["cursor"][0]
    assert client.get(LIST, {"cursor": good}).status_code == 200


def test_api_page_numbers_still_answer(client, org, cats, small_pages):
    many(org, cats, 5)
    client.force_login(org.community)
    body = client.get(LIST, {"page": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["previous"]
    assert client.get(LIST, {"page": "x"}).status_code == 400


def test_api_list_queries_do_not_grow_with_the_page(client, org, cats, django_assert_max_num_queries):
    many(org, cats, 60)
    client.force_login(org.community)
    body = client.get(LIST).json()
    with django_assert_max_num_queries(8):
        assert len(client.get(body["next"]).json()["results"]) == 10


def test_schema_declares_cursor_pages():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/cases/"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert names["cursor"]["schema"] == {"type": "string"} and names["page"]["deprecated"] is True
    assert CaseViewSet.pagination_class is KeysetPagination
    paginated = schema["components"]["schemas"]["PaginatedCaseList"]
    assert set(paginated["required"]) == {"next", "previous", "results"}


# The page ----------------------------------------------------------------------------------------


def page_codes(response) -> list[str]:
    import re

    return re.findall(r'href="/cases/\d+/">([^<]+)</a>', response.content.decode())


def next_link(response) -> str | None:
    import re

    found = re.findall(r'href="(\?[^"]*)">下一页</a>', response.content.decode())
    return found[0].replace("&amp;", "&") if found else None


def test_page_numbered_then_by_key_keeping_filters(client, org, cats, small_pages):
    cases = many(org, cats, 7)
    many(org, cats, 3, status=CaseStatus.REGISTERED)
    client.force_login(org.community)
    response = client.get("/cases/", {"status": "reported"})
    assert "超过 4 条" in response.content.decode()  # the count stops at the numbered pages
    seen, link, keyset_pages = page_codes(response), next_link(response), 0
    while link:
        assert "status=reported" in link
        keyset_pages += "cursor=" in link
        response = client.get("/cases/" + link)
        assert response.status_code == 200
        seen += page_codes(response)
        link = next_link(response)
    assert seen == [c.code for c in sorted(cases, key=lambda c: c.pk, reverse=True)]
    assert keyset_pages == 2  # pages 3 and 4 of 2 rows: past the 2 numbered pages
    assert 'data-testid="first-page"' in response.content.decode()


def test_page_bad_cursor_is_refused_like_a_filter(client, org, cats):
    client.force_login(org.community)
    response = client.get("/cases/", {"status": "open", "cursor": "nonsense"})
    assert response.status_code == 400
    assert "翻页位置（cursor）无效" in response.content.decode()


def test_page_queries_do_not_depend_on_the_scope_size(client, org, cats, django_assert_max_num_queries):
    many(org, cats, 120)
    client.force_login(org.community)
    client.get("/cases/")
    with django_assert_max_num_queries(12):
        response = client.get("/cases/", {"page": 2})
    assert len(page_codes(response)) == 50
