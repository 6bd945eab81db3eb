"""Open311 GeoReport v2 under /api/open311/v2/.

No `assert_access` here: GeoReport is public by design (residents' apps and the 12345
platform call it without an account), so anonymous callers get 200/201, never 401.
What protects it instead is tested below: reads carry only public fields, anonymous
posts need a point inside our boundaries and are throttled, and a token user posts as
themselves with their role and scope checked.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.accounts.services import api_token_issue
from apps.cases import services
from apps.cases.api import open311
from apps.cases.choices import CaseSource, CaseStatus
from apps.cases.models import Case, Category
from apps.organization.models import Jurisdiction

from .conftest import jpeg

pytestmark = pytest.mark.django_db

BASE = "/api/open311/v2"
PUBLIC_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "requested_datetime",
    "updated_datetime",
    "address",
    "lat",
    "long",
}


def box(lng0, lat0, lng1, lat1) -> dict:
    return {"type": "Polygon", "coordinates": [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]]}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the throttle counts posts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def mapped(org):
    """Boundaries: street A around 幸福物业, 甲一社区 inside it, street B further east."""
    Jurisdiction.objects.filter(pk=org.street_a.pk).update(boundary=box(104.60, 31.40, 104.75, 31.50))
    Jurisdiction.objects.filter(pk=org.comm_a1.pk).update(boundary=box(104.67, 31.46, 104.70, 31.48))
    Jurisdiction.objects.filter(pk=org.street_b.pk).update(boundary=box(104.80, 31.40, 104.90, 31.50))
    return org


def resident_post(client, **fields):
    data = {
        "service_code": "exposed_garbage",
        "lat": "31.4671234",
        "long": "104.6834567",
        "address_string": "人民路1号门口",
        "description": "垃圾两天没人收",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13912345678",
        "media_url": "https://example.com/p.jpg",
    }
    data.update(fields)
    # GeoReport clients post form-encoded bodies.
    return client.post(f"{BASE}/requests.json", data)


def report(org, cats, **kwargs):
    defaults = {
        "actor": org.grid,
        "category": cats["exposed_garbage"],
        "photos": [jpeg()],
        "jurisdiction": org.grid_a1,
        "description": "垃圾",
    }
    defaults.update(kwargs)
    return services.case_report(**defaults)


# Services ---------------------------------------------------------------------------------------


def test_services_list_is_public_and_holds_active_minor_categories(client, cats):
    Category.objects.filter(code="poultry").update(is_active=False)
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services_by_code = {row["service_code"]: row for row in response.json()}
    expected = set(Category.objects.filter(parent__isnull=False, is_active=True).values_list("code", flat=True))
    assert set(services_by_code) == expected
    assert "poultry" not in services_by_code and "sanitation" not in services_by_code  # inactive; a 大类
    garbage = services_by_code["exposed_garbage"]
    assert garbage == {
        "service_code": "exposed_garbage",
        "service_name": "暴露垃圾",
        "description": garbage["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": "环境卫生,事件",
        "group": "环境卫生",
    }
    assert "4 工作小时" in garbage["description"]


def test_service_definition(client, cats):
    response = client.get(f"{BASE}/services/graffiti.json")
    assert response.status_code == 200
    assert response.json() == {"service_code": "graffiti", "attributes": []}
    for unknown in ("nope", "cityscape"):  # a 大类 is not a service
        response = client.get(f"{BASE}/services/{unknown}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404 and response.json()[0]["description"]


# Anonymous create and query ---------------------------------------------------------------------------


def test_anonymous_create_and_query_round_trip(client, mapped, cats):
    response = resident_post(client)
    assert response.status_code == 201, response.content
    [created] = response.json()
    case = Case.objects.get(code=created["service_request_id"])
    assert created["account_id"] is None and "token" not in created
    assert case.tracking_code in created["service_notice"]
    # A public report: no actor, resident source, the deepest boundary containing the point.
    assert case.source == CaseSource.RESIDENT and case.reporter is None
    assert case.jurisdiction == mapped.comm_a1 and case.status == CaseStatus.REPORTED
    assert case.reporter_name == "王小明" and case.reporter_phone == "13912345678"
    assert case.lat == Decimal("31.467123") and case.lng == Decimal("104.683457")
    assert case.address == "人民路1号门口" and case.description == "垃圾两天没人收"
    assert case.events.get().actor is None

    response = client.get(f"{BASE}/requests/{case.code}.json")
    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == PUBLIC_FIELDS
    assert row["service_request_id"] == case.code and row["status"] == "open" and row["status_notes"] == "待核实"
    assert row["service_code"] == "exposed_garbage" and row["service_name"] == "暴露垃圾"
    assert row["lat"] == pytest.approx(31.467123) and row["long"] == pytest.approx(104.683457)
    assert row["requested_datetime"].endswith("+08:00")
    text = response.content.decode()
    assert "13912345678" not in text and "王小明" not in text and case.tracking_code not in text

    listing = client.get(f"{BASE}/requests.json", {"service_request_id": case.code})
    assert listing.status_code == 200 and listing.json() == [row]

    # The case now runs through the normal workflow; the public status follows.
    services.case_reject(actor=mapped.community, case=case, reason="已有人处理")
    [row] = client.get(f"{BASE}/requests/{case.code}.json").json()
    assert row["status"] == "closed" and row["status_notes"] == "不予立案"


def test_anonymous_create_needs_a_place_inside_our_boundaries(client, mapped, cats):
    for fields in ({"lat": "30.0", "long": "120.0"}, {"lat": "", "long": ""}):
        response = resident_post(client, **fields)
        assert response.status_code == 400
        [error] = response.json()
        assert error["code"] == 400 and "辖区" in error["description"]
    response = resident_post(client, lat="31.47", long="")  # one coordinate only
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    response = resident_post(client, service_code="cityscape")
    assert response.status_code == 400 and "service_code" in response.json()[0]["description"]
    assert not Case.objects.exists()


def test_requests_of_unknown_id_answer_an_open311_404(client, db):
    response = client.get(f"{BASE}/requests/AJ000.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


# Authenticated create ----------------------------------------------------------------------------------


def test_token_user_creates_a_hotline_case_as_themselves(client, mapped, cats):
    _token, key = api_token_issue(actor=None, owner=mapped.community, name="test")
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "graffiti", "description": "12345 转来：小广告", "phone": "13811112222"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(code=response.json()[0]["service_request_id"])
    assert case.source == CaseSource.HOTLINE and case.reporter == mapped.community
    assert case.jurisdiction == mapped.comm_a1 and case.answer_due_at is not None
    assert case.reporter_phone == "13811112222"
    assert case.events.get().actor == mapped.community


def test_token_user_without_the_role_is_refused(client, mapped, cats):
    _token, key = api_token_issue(actor=None, owner=mapped.unit_contact, name="test")
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "graffiti", "lat": "31.47", "long": "104.68"},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    response = client.post(f"{BASE}/requests.json", {"service_code": "graffiti"}, HTTP_AUTHORIZATION="Token bad")
    assert response.status_code == 401 and response.json()[0]["code"] == 401
    assert not Case.objects.exists()


def test_anonymous_posts_are_throttled(client, mapped, cats, settings):
    settings.OPEN311_POSTS_PER_HOUR = 2
    assert resident_post(client).status_code == 201
    assert resident_post(client).status_code == 201
    response = resident_post(client)
    assert response.status_code == 429 and response.json()[0]["code"] == 429
    assert "Retry-After" in response
    assert Case.objects.count() == 2
    # Reads are not throttled, and a signed-in operator is not limited by the anonymous rate.
    assert client.get(f"{BASE}/requests.json").status_code == 200
    client.force_login(mapped.community)
    assert resident_post(client).status_code == 201


def test_the_rate_is_the_documented_setting(settings):
    assert open311.AnonymousPostThrottle().rate == "30/hour"
    assert open311.AnonymousPostThrottle.scope not in settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    settings.OPEN311_POSTS_PER_HOUR = 5
    assert open311.AnonymousPostThrottle().rate == "5/hour"


# Status mapping and queries ----------------------------------------------------------------------------------


def test_status_mapping_and_status_filter(client, org, cats):
    client.force_login(org.community)  # staff query their scope; anonymous callers see residents' reports only
    by_status = {}
    by_status["reported"] = report(org, cats)
    by_status["registered"] = services.case_register(actor=org.community, case=report(org, cats))
    dispatched = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=report(org, cats)), unit=org.unit_a1
    )
    by_status["dispatched"] = dispatched
    returned = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=report(org, cats)), unit=org.unit_a1
    )
    by_status["returned"] = services.case_dispute(actor=org.unit_contact, case=returned, reason="不归我方")
    handled = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=report(org, cats)), unit=org.unit_a1
    )
    by_status["handled"] = services.case_handle(actor=org.unit_contact, case=handled, note="好", photos=[jpeg()])
    closed = services.case_dispatch(
        actor=org.community, case=services.case_register(actor=org.community, case=report(org, cats)), unit=org.unit_a1
    )
    closed = services.case_handle(actor=org.unit_contact, case=closed, note="好", photos=[jpeg()])
    by_status["closed"] = services.case_verify(actor=org.inspector, case=closed, passed=True)
    by_status["suspended"] = services.case_suspend(
        actor=org.community,
        case=services.case_register(actor=org.community, case=report(org, cats)),
        plan="改造时处理",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    by_status["rejected"] = services.case_reject(actor=org.community, case=report(org, cats), reason="不属实")
    by_status["voided"] = services.case_void(actor=org.community, case=report(org, cats), reason="重复")
    assert {status: case.status for status, case in by_status.items()} == {s: s for s in by_status}
    assert set(by_status) == set(CaseStatus.values)

    rows = {row["service_request_id"]: row for row in client.get(f"{BASE}/requests.json").json()}
    mapped_status = {status: rows[case.code]["status"] for status, case in by_status.items()}
    closed_ones = {"closed", "rejected", "voided"}
    assert mapped_status == {s: "closed" if s in closed_ones else "open" for s in by_status}
    assert rows[by_status["suspended"].code]["status_notes"] == "挂账"

    open_codes = {row["service_request_id"] for row in client.get(f"{BASE}/requests.json", {"status": "open"}).json()}
    assert open_codes == {case.code for s, case in by_status.items() if s not in closed_ones}
    closed_codes = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", {"status": "closed"}).json()}
    assert closed_codes == {case.code for s, case in by_status.items() if s in closed_ones}
    both = client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()
    assert len(both) == len(by_status)
    response = client.get(f"{BASE}/requests.json", {"status": "pending"})
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    # Nothing internal leaks through the listing either.
    assert all(set(row) == PUBLIC_FIELDS for row in rows.values())
    assert "幸福物业" not in client.get(f"{BASE}/requests.json").content.decode()


def test_query_by_ids_service_code_and_dates(client, org, cats):
    client.force_login(org.community)  # staff query their scope; anonymous callers see residents' reports only
    old = report(org, cats)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    recent = report(org, cats)
    graffiti = report(org, cats, category=cats["graffiti"])

    def ids(params=None):
        response = client.get(f"{BASE}/requests.json", params or {})
        assert response.status_code == 200, response.content
        return [row["service_request_id"] for row in response.json()]

    # Default: the last 90 days, newest first.
    assert ids() == [graffiti.code, recent.code]
    assert ids({"service_code": "graffiti"}) == [graffiti.code]
    assert ids({"service_code": "graffiti,exposed_garbage"}) == [graffiti.code, recent.code]
    start = (timezone.now() - timedelta(days=365)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids({"start_date": start, "end_date": end}) == [old.code]
    assert ids({"start_date": start}) == [graffiti.code, recent.code, old.code]
    assert ids({"end_date": end}) == [old.code]
    day = (timezone.localdate() - timedelta(days=201)).isoformat()  # a bare date means its midnight
    assert ids({"start_date": day, "service_code": "exposed_garbage"}) == [recent.code, old.code]
    # Ids win over every other condition (an old case is still found by its id); the other
    # conditions must still be valid values (an unknown service code is refused, issue 9).
    assert set(ids({"service_request_id": f"{old.code},{graffiti.code}", "service_code": "graffiti"})) == {
        old.code,
        graffiti.code,
    }
    response = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})
    assert response.status_code == 400 and "start_date" in response.json()[0]["description"]
    # An unescaped "+08:00" offset arrives as a space and is still understood.
    raw = (timezone.localtime() - timedelta(days=365)).replace(microsecond=0).isoformat()
    assert "+" in raw
    response = client.get(f"{BASE}/requests.json?start_date={raw}")
    assert response.status_code == 200 and len(response.json()) == 3


def test_anonymous_callers_see_only_residents_reports(client, org, cats):
    from django.urls import reverse

    report(org, cats, description="内部巡查：某某家门口违规")
    from apps.organization.models import Jurisdiction

    Jurisdiction.objects.filter(pk=org.grid_a1.pk).update(
        boundary={
            "type": "Polygon",
            "coordinates": [[[104.68, 31.46], [104.69, 31.46], [104.69, 31.47], [104.68, 31.47], [104.68, 31.46]]],
        }
    )
    resident = services.case_report(
        actor=None, source="resident", category=cats["graffiti"], lat="31.465", lng="104.685", description="小广告"
    )
    body = client.get(reverse("cases_api:open311-requests")).json()
    assert [row["service_request_id"] for row in body] == [resident.code]
