"""Issue 9, finding 4: every list filter and query parameter is parsed strictly.

Each input below answered 500 (a NUL byte reaching PostgreSQL, "²" passing `str.isdigit()` and
failing `int()`, a date overflowing) or was silently ignored. Now each answers 400 with a message
naming the parameter, in Chinese (and English when chosen), on SQLite and on PostgreSQL alike.
"""

import pytest
from django.urls import reverse

from apps.cases.categories import ensure_categories
from apps.cases.limits import DESCRIPTION

SUP2 = "²"  # str.isdigit() says yes, int() says no
LONG = "x" * 101
CONTROL = "含有不允许的控制字符"
UNKNOWN = "的值无效：未知的值"
DATE_RANGE = "「上报日期起」的值无效：应为 2000-01-01 至 2099-12-31"

# (user attribute of the org fixture or None for anonymous, url, query, expected text, kind)
# kind: "page" (HTML 400 page with the message), "api" (JSON {field: [...]} or {detail}),
# "open311" (a GeoReport error list).
CASES = [
    # Cases: list, export, map data, statistics
    ("street", "/cases/", {"q": "\x00"}, CONTROL, "page"),
    ("street", "/cases/", {"category": SUP2}, "「问题类别」" + UNKNOWN, "page"),
    ("street", "/cases/", {"unit": SUP2}, "「责任单位」" + UNKNOWN, "page"),
    ("street", "/cases/", {"jurisdiction": SUP2}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/cases/", {"jurisdiction": "street_b"}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/cases/", {"jurisdiction": "999999"}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/cases/", {"status": "bogus"}, "「状态」" + UNKNOWN, "page"),
    (
        "street",
        "/cases/",
        {"created_from": "0001-01-01"},
        "「上报日期起」的值无效：应为 2000-01-01 至 2099-12-31",
        "page",
    ),
    (
        "street",
        "/cases/",
        {"created_from": "2026-03-02", "created_to": "2026-03-01"},
        "「上报日期起」不能晚于「上报日期止」",
        "page",
    ),
    ("street", "/cases/", {"q": LONG}, "「关键词」的值无效：最多 100 个字符", "page"),
    ("street", "/cases/", {"registered": "maybe"}, "「已立案」" + UNKNOWN, "page"),
    ("street", "/cases/", {"category": SUP2, "export": "xlsx"}, "「问题类别」" + UNKNOWN, "page"),
    ("street", "/cases/map/data/", {"category": SUP2}, "「问题类别」" + UNKNOWN, "api"),
    ("street", "/cases/map/data/", {"q": "\x00"}, CONTROL, "api-page"),
    (
        "street",
        "/cases/statistics/",
        {"start": "0001-01-01", "end": "9999-12-31"},
        "「开始日期」的值无效：应为 2000-01-01 至 2099-12-31",
        "page",
    ),
    ("street", "/cases/statistics/", {"jurisdiction": SUP2}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/cases/statistics/", {"group_by": "bogus"}, "「统计维度」" + UNKNOWN, "page"),
    (
        "street",
        "/cases/statistics/",
        {"start": "2026-02-01", "end": "2026-01-01", "export": "xlsx"},
        "不能晚于",
        "page",
    ),
    # Working calendar, inspections, appeals, rankings
    ("office", "/calendar/", {"year": SUP2}, "「年份」的值无效：应为 2000 至 2099 之间的整数", "page"),
    ("street", "/inspections/", {"round": SUP2}, "「检查轮次」" + UNKNOWN, "page"),
    ("street", "/inspections/", {"status": "bogus"}, "「状态」" + UNKNOWN, "page"),
    ("street", "/inspections/", {"q": "\x00"}, CONTROL, "page"),
    ("street", "/inspections/appeals/", {"status": "bogus"}, "「状态」" + UNKNOWN, "page"),
    ("street", "/inspections/rankings/", {"day": "0001-01-01"}, "「周期内任一天」的值无效", "page"),
    ("street", "/inspections/rankings/", {"jurisdiction": SUP2}, "「评比范围」" + UNKNOWN, "page"),
    # Organisation, audit, accounts
    ("street", "/org/units/", {"q": "\x00"}, CONTROL, "page"),
    ("street", "/org/units/", {"unit_type": SUP2}, "「单位类型」" + UNKNOWN, "page"),
    ("street", "/org/units/", {"jurisdiction": "street_b"}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/org/units/", {"status": "bogus", "export": "xlsx"}, "「经营状态」" + UNKNOWN, "page"),
    ("street", "/org/jurisdictions/", {"level": SUP2}, "「层级」" + UNKNOWN, "page"),
    ("street", "/org/jurisdictions/", {"parent": "street_b"}, "「上级辖区」" + UNKNOWN, "page"),
    ("street", "/org/staff/", {"jurisdiction": SUP2}, "「辖区」" + UNKNOWN, "page"),
    ("street", "/org/zones/", {"kind": "bogus"}, "「类别」" + UNKNOWN, "page"),
    ("street", "/audit/", {"q": "\x00"}, CONTROL, "page"),
    ("street", "/audit/", {"action": "bogus"}, "「动作」" + UNKNOWN, "page"),
    ("street", "/audit/", {"start": "2026-02-01", "end": "2026-01-01"}, "「开始日期」不能晚于「结束日期」", "page"),
    ("street", "/accounts/users/", {"q": "\x00"}, CONTROL, "page"),
    ("street", "/accounts/users/", {"q": LONG}, "最多 100 个字符", "page"),
    ("street", "/org/units/", {"\x00": "1"}, CONTROL, "page"),  # a key, not only a value
    ("street", "/org/map-layers/", {"q": LONG}, "「关键词」的值无效：最多 100 个字符", "api"),
    # The API lists (DRF + the same filtersets)
    ("street", "/api/v1/cases/", {"category": SUP2}, "「问题类别」" + UNKNOWN, "api"),
    ("street", "/api/v1/cases/", {"q": "\x00"}, CONTROL, "api"),
    ("street", "/api/v1/cases/", {"created_from": "0001-01-01"}, "「上报日期起」的值无效", "api"),
    ("street", "/api/v1/units/", {"unit_type": SUP2}, "「单位类型」" + UNKNOWN, "api"),
    ("street", "/api/v1/jurisdictions/", {"level": "x"}, "「层级」" + UNKNOWN, "api"),
    ("street", "/api/v1/staff/", {"jurisdiction": SUP2}, "「辖区」" + UNKNOWN, "api"),
    ("street", "/api/v1/zones/", {"kind": "bogus"}, "「类别」" + UNKNOWN, "api"),
    ("street", "/api/v1/audit-events/", {"start": "0001-01-01"}, "「开始日期」的值无效", "api"),
    ("street", "/api/v1/inspections/", {"round": SUP2}, "「检查轮次」" + UNKNOWN, "api"),
    # Anonymous: the public track page and Open311
    (None, "/public/track/", {"code": "\x00"}, CONTROL, "page"),
    (None, "/public/track/", {"code": "AB%CD"}, "「查询码」的值无效", "page"),
    (None, "/public/track/", {"code": "A" * 40}, "「查询码」的值无效", "page"),
    (None, "/api/open311/v2/requests.json", {"service_code": "\x00"}, CONTROL, "open311"),
    (None, "/api/open311/v2/requests.json", {"service_code": "nope"}, "「service_code」" + UNKNOWN, "open311"),
    (None, "/api/open311/v2/services/%00.json", {}, "网址中含有不允许的控制字符", "open311"),
    (None, "/api/open311/v2/requests/%00.json", {}, "网址中含有不允许的控制字符", "open311"),
    (None, "/public/track/%00/", {}, "网址中含有不允许的控制字符", "page"),
    (
        None,
        "/api/open311/v2/requests.json",
        {"start_date": "9999-12-31T23:59:59-23:59"},
        "「start_date」的值无效",
        "open311",
    ),
    (None, "/api/open311/v2/requests.json", {"end_date": "2026-13-45"}, "「end_date」的值无效", "open311"),
    (None, "/api/open311/v2/requests.json", {"status": "bogus"}, "「status」" + UNKNOWN, "open311"),
    (None, "/api/open311/v2/requests.json", {"service_request_id": "A" * 31}, "「service_request_id」", "open311"),
    (
        None,
        "/api/open311/v2/requests.json",
        {"start_date": "2026-03-02", "end_date": "2026-03-01"},
        "「start_date」不能晚于「end_date」",
        "open311",
    ),
]


def _resolve(org, query):
    return {key: str(getattr(org, value).pk) if value == "street_b" else value for key, value in query.items()}


def _message_of(response, kind) -> str:
    if kind == "open311":
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == 400
        return body[0]["description"]
    if kind == "api":
        return str(response.json())
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "url", "query", "expected", "kind"), CASES, ids=[f"{c[1]}?{'&'.join(c[2])}" for c in CASES]
)
def test_invalid_input_answers_400_with_a_message(client, org, who, url, query, expected, kind):
    ensure_categories()
    if who is not None:
        client.force_login(getattr(org, who))
    response = client.get(url, _resolve(org, query))
    assert response.status_code == 400, response.content[:500]
    text = _message_of(response, "page" if kind == "api-page" else kind)
    assert expected in text.replace("&quot;", '"').replace("&#x27;", "'")


def test_the_message_is_in_english_when_english_is_chosen(client, org):
    client.force_login(org.street)
    client.cookies["django_language"] = "en"
    response = client.get("/cases/", {"jurisdiction": SUP2})
    assert response.status_code == 400
    assert "Invalid value for “Jurisdictions”: unknown value" in response.content.decode()
    response = client.get("/cases/", {"q": "\x00"})
    assert response.status_code == 400
    assert "contains a control character" in response.content.decode()
    api = client.get("/api/v1/cases/", {"created_from": "2026-03-02", "created_to": "2026-03-01"})
    assert api.status_code == 400
    assert "cannot be later than" in str(api.json())


def test_the_list_page_keeps_the_typed_values_and_shows_the_message_above_the_list(client, org):
    client.force_login(org.street)
    response = client.get("/cases/", {"created_from": "2026-03-02", "created_to": "2026-03-01", "q": "路"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="created_from" value="2026-03-02"' in page
    assert 'name="q" value="路"' in page
    assert page.index('data-testid="filter-errors"') < page.index('data-testid="case-table"')


def test_post_bodies_refuse_nul_but_keep_newlines(client, org):
    ensure_categories()
    response = client.post(reverse("public:public_report"), {"description": "a\x00b", "address": "x"})
    assert response.status_code == 400
    assert CONTROL in response.content.decode()
    # Tab, newline and carriage return are text in a form: the form itself answers (not the guard).
    response = client.post(reverse("public:public_report"), {"description": "第一行\r\n第二行\t", "address": "x"})
    assert CONTROL not in response.content.decode()
    api = client.post("/api/open311/v2/requests.json", {"service_code": "x", "description": "\x01"})
    assert api.status_code == 400
    assert CONTROL in api.json()[0]["description"]


def test_valid_filters_still_filter(client, org):
    client.force_login(org.street)
    units = client.get("/org/units/", {"jurisdiction": org.comm_a2.pk})
    assert units.status_code == 200
    names = {u.name for u in units.context["rows"]}
    assert names == {"甲二超市"}
    api = client.get("/api/v1/units/", {"jurisdiction": org.comm_a2.pk, "q": "超市"})
    assert api.status_code == 200
    assert [u["name"] for u in api.json()["results"]] == ["甲二超市"]
    audit = client.get("/audit/", {"start": "2026-01-01", "end": "2026-01-01"})
    assert audit.status_code == 200
    assert client.get("/calendar/", {"year": "2030"}).status_code in (200, 403)
    assert client.get("/api/open311/v2/requests.json", {"start_date": "2026-03-01T08:00:00 08:00"}).status_code == 200


def test_export_jobs_validate_their_filters_again(org):
    """A job stored with filters that are no longer valid (the jurisdiction left the user's scope)
    fails with the message rather than exporting everything."""
    from apps.core.filters import InvalidFilters
    from apps.core.registry import registry

    export = registry.exports()["units"]
    with pytest.raises(InvalidFilters) as raised:
        export.rows(org.street, {"jurisdiction": str(org.comm_b1.pk)})
    assert "「辖区」的值无效：未知的值" in raised.value.message
    assert {u.name for u in export.rows(org.street, {"jurisdiction": str(org.comm_a2.pk)})} == {"甲二超市"}


# Length limits: the same in the form, the API and Open311 -------------------------------------


def test_description_length_is_the_same_on_every_channel(client, org):
    cats = ensure_categories() or None
    from apps.cases.models import Category

    category = Category.objects.filter(parent__isnull=False, is_active=True).first()
    too_long = "长" * (DESCRIPTION + 1)
    client.force_login(org.grid)
    form = client.post(reverse("cases:case_report"), {"category": category.pk, "description": too_long})
    assert form.status_code == 400
    assert f"{DESCRIPTION}" in form.content.decode()
    api = client.post(
        "/api/v1/cases/",
        {"category": category.code, "description": too_long, "lat": "31.467", "lng": "104.683"},
        content_type="application/json",
    )
    assert api.status_code == 400, api.content
    assert "description" in api.json()["errors"]
    client.logout()
    open311 = client.post(
        "/api/open311/v2/requests.json",
        {"service_code": category.code, "description": too_long, "lat": "31.467", "long": "104.683"},
    )
    assert open311.status_code == 400
    assert "description" in open311.json()[0]["description"]
    assert cats is None


def test_the_service_refuses_an_overlong_description_from_any_other_caller(org):
    from apps.cases import services
    from apps.cases.models import Category
    from apps.core.exceptions import DomainError

    ensure_categories()
    category = Category.objects.filter(parent__isnull=False, is_active=True).first()
    with pytest.raises(DomainError, match="1000"):
        services.case_report(actor=org.grid, category=category, description="x" * (DESCRIPTION + 1))


def test_post_version_is_parsed_strictly(client, org):
    """The optimistic-concurrency `version` of a case step: "²" is a 400 with a message, not a
    500 and not a "changed by someone else" conflict."""
    from apps.cases import services
    from apps.cases.models import Category

    ensure_categories()
    category = Category.objects.filter(parent__isnull=False, is_active=True, photo_required=False).first()
    case = services.case_report(actor=org.grid, category=category, description="路边垃圾")
    client.force_login(org.community)
    response = client.post(reverse("cases:case_action", args=[case.pk, "register"]), {"version": SUP2})
    assert response.status_code == 400
    assert "「版本号」的值无效：应为 0 至 2147483647 之间的整数" in response.content.decode()
    api = client.post(f"/api/v1/cases/{case.pk}/register/", {"version": SUP2}, content_type="application/json")
    assert api.status_code == 400 and "version" in api.json()["errors"]
    client.force_login(org.street)
    unit = client.patch(
        f"/api/v1/units/{org.unit_a1.pk}/", {"name": "新名", "version": SUP2}, content_type="application/json"
    )
    assert unit.status_code == 400
    assert unit.json()["errors"]["version"]
    arabic = client.patch(
        f"/api/v1/units/{org.unit_a1.pk}/", {"name": "新名", "version": "\u0663"}, content_type="application/json"
    )
    assert arabic.status_code == 400 and arabic.json()["errors"]["version"]


def test_a_background_export_job_refuses_filters_that_are_no_longer_valid(org, django_capture_on_commit_callbacks):
    """The job re-validates the stored filters when it runs: refused with the list's message."""
    from apps.imports import services as import_services
    from apps.imports.models import DataJob, JobStatus

    with django_capture_on_commit_callbacks(execute=True):
        job = import_services.export_job_start(
            actor=org.street, source="units", filters={"jurisdiction": str(org.comm_b1.pk)}
        )
    job = DataJob.objects.get(pk=job.pk)
    assert job.status == JobStatus.FAILED
    assert "「辖区」的值无效：未知的值" in job.message
    assert not job.output_file


def test_calendar_delete_of_a_non_id_is_a_404_not_a_500(client, org):
    client.force_login(org.office)
    response = client.post(reverse("worktime:calendar"), {"delete": SUP2})
    assert response.status_code == 404
