"""The Aedes household survey on a phone (issue 12, item 5): the grid worker opens a survey,
enters households, the connection drops half-way, more households are entered and kept on the
phone (also across a reload), the connection returns and they are sent (each once), the survey
is submitted; then the community desk sees the week's BI, its grade, the map points and the
case opened for the positive site with its photo."""

import io
import json
import time
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image

from apps.accounts.models import User
from apps.pestcontrol.choices import SurveyStatus
from apps.pestcontrol.models import ControlStandard, ControlThreshold, ControlVersion, HouseholdVisit, Survey
from apps.pestcontrol.selectors.aedes import week_rows

from .conftest import PHONE, assert_no_horizontal_overflow, login, shot

pytestmark = pytest.mark.browser


def _photo(tmp_path, name="site.jpg"):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (60, 110, 70)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the phone's households did not reach the server"
        time.sleep(0.1)


def _example_levels():
    """The mosquito control level's BI limits (the surveys part ships them; made here if absent)."""
    standard, _ = ControlStandard.objects.get_or_create(
        pest="mosquito", defaults={"code": "GB/T 27771", "title": "病媒生物密度控制水平 蚊虫"}
    )
    if not standard.versions.exists():
        version = ControlVersion.objects.create(standard=standard, label="示例", effective_from=date(2011, 1, 1))
        for level, limit in (("A", 5), ("B", 10), ("C", 20)):
            ControlThreshold.objects.create(version=version, index="breteau_index", level=level, limit=Decimal(limit))


def _household(page, address, containers, photo=None):
    page.get_by_test_id("visit-address").fill(address)
    for kind, counts in containers.items():
        row = page.locator(f"tr[data-type={kind}]")
        for name, value in counts.items():
            row.locator(f"input[name={name}]").fill(str(value))
    if photo:
        page.get_by_test_id("visit-photo").set_input_files(photo)
    page.get_by_test_id("visit-save").click()
    page.wait_for_function("a => document.querySelector('[data-testid=visit-address]').value === ''", arg=address)


def test_household_survey_on_a_phone_with_the_connection_dropped(new_page, demo, tmp_path):
    _example_levels()
    grid = User.objects.get(username="grid")
    phone = new_page(
        viewport=PHONE, geolocation={"latitude": 31.4675, "longitude": 104.6835}, permissions=["geolocation"]
    )
    login(phone, "grid")
    phone.goto("/pestcontrol/aedes/")
    phone.get_by_test_id("aedes-new").click()
    phone.get_by_test_id("aedes-open").click()
    phone.wait_for_url("**/fill/")
    survey = Survey.objects.filter(surveyor=grid, status=SurveyStatus.OPEN).latest("id")
    assert survey.jurisdiction == grid.jurisdiction
    shot(phone, "pestcontrol-aedes-fill-phone")

    # Online: the first two households, one located by the phone's GPS.
    phone.locator("[data-locate]").click()
    phone.wait_for_function("() => document.querySelector('#visit-form [name=lat]').value !== ''")
    _household(phone, "东苑1栋101", {"jar": {"wet": 2, "positive": 0, "treated": 2}})
    _household(phone, "东苑1栋102", {"plant": {"wet": 1}})
    _eventually(lambda: survey.visits.count() == 2)

    # A positive > wet is refused on the phone with a message, nothing queued.
    phone.get_by_test_id("visit-address").fill("东苑1栋103")
    phone.locator("tr[data-type=tyre] input[name=wet]").fill("1")
    phone.locator("tr[data-type=tyre] input[name=positive]").fill("2")
    phone.get_by_test_id("visit-save").click()
    assert "阳性数不能大于积水数" in phone.locator("#visit-error").inner_text()
    phone.locator("tr[data-type=tyre] input[name=positive]").fill("1")

    # The connection drops: households are kept on the phone and listed as waiting.
    phone.context.set_offline(True)
    phone.locator("[data-picker]").click(position={"x": 120, "y": 90})  # the manual pick on the map
    _household(phone, "东苑1栋103", {}, photo=_photo(tmp_path))
    _household(phone, "东苑1栋104", {"vase": {"wet": 2, "positive": 1, "larvae": 6}})
    _household(phone, "东苑1栋105", {"discarded": {"wet": 1}})
    phone.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'offline'")
    assert phone.get_by_test_id("pending-list").locator("li").count() == 3
    assert "网络已断开" in phone.get_by_test_id("sync-state").inner_text()
    shot(phone, "pestcontrol-aedes-offline-phone")
    assert survey.visits.count() == 2

    # Submitting is held back while households wait.
    phone.get_by_test_id("survey-submit").click()
    assert phone.locator("#submit-hint").is_visible()
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN

    # A reload while still offline keeps them (IndexedDB).
    phone.route("**/visits/", lambda route: route.abort())
    phone.context.set_offline(False)
    phone.reload()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=pending-list] li').length === 3")
    phone.unroute("**/visits/")

    # The connection returns: they are sent, in order, each once.
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_function("() => document.querySelector('[data-testid=sync-state]').dataset.state === 'ok'")
    _eventually(lambda: survey.visits.count() == 5)
    assert list(survey.visits.order_by("id").values_list("address", flat=True)) == [
        "东苑1栋101",
        "东苑1栋102",
        "东苑1栋103",
        "东苑1栋104",
        "东苑1栋105",
    ]
    assert phone.get_by_test_id("pending-list").locator("li").count() == 0
    positive_site = HouseholdVisit.objects.get(survey=survey, address="东苑1栋103")
    assert positive_site.lat is not None and positive_site.photos.count() == 1
    assert positive_site.case is not None and positive_site.case.category.code == "breeding_site"
    assert_no_horizontal_overflow(phone)

    # Larvae without a positive container is refused on the phone, like the server would.
    phone.get_by_test_id("visit-address").fill("东苑1栋106")
    phone.locator("tr[data-type=jar] input[name=wet]").fill("1")
    phone.locator("tr[data-type=jar] input[name=larvae]").fill("3")
    phone.get_by_test_id("visit-save").click()
    assert "阳性数至少为 1" in phone.locator("#visit-error").inner_text()
    phone.locator("tr[data-type=jar] input[name=larvae]").fill("")

    # A household the server refuses is not lost: it waits under 待更正, back into the form on
    # 更正, and 放弃 drops it.
    phone.route(
        "**/visits/",
        lambda route: route.fulfill(
            status=400, content_type="application/json", body=json.dumps({"error": "测试退回"})
        ),
    )
    phone.get_by_test_id("visit-save").click()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 1")
    assert "测试退回" in phone.get_by_test_id("refused-list").inner_text()
    assert phone.get_by_test_id("pending-list").locator("li").count() == 0
    shot(phone, "pestcontrol-aedes-refused-phone")
    phone.reload()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 1")
    phone.get_by_test_id("refused-correct").click()
    assert phone.get_by_test_id("visit-address").input_value() == "东苑1栋106"
    assert phone.get_by_test_id("refused").is_hidden()
    phone.get_by_test_id("visit-save").click()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 1")
    phone.unroute("**/visits/")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_test_id("refused-discard").click()
    phone.wait_for_function("() => document.querySelectorAll('[data-testid=refused-list] li').length === 0")
    assert survey.visits.count() == 5

    phone.get_by_test_id("survey-submit").click()
    phone.wait_for_url(f"**/aedes/surveys/{survey.pk}/")
    assert phone.get_by_test_id("survey-status").inner_text() == "已提交"
    survey.refresh_from_db()
    assert survey.counts == {"households": 5, "households_positive": 2, "containers_wet": 7, "containers_positive": 2}
    assert "BI 40.00" in phone.get_by_test_id("survey-indices").inner_text()
    shot(phone, "pestcontrol-aedes-submitted-phone")

    # The community desk: this week's BI of 东苑 (its demo households and these five), the
    # grade, the risk, the map points and the case of the positive site.
    community_user = User.objects.get(username="dongyuan")
    [row] = [r for r in week_rows(community_user, date.today()) if r.community == community_user.jurisdiction]
    desk = new_page()
    login(desk, "dongyuan")
    desk.goto("/pestcontrol/aedes/")
    line = desk.locator(f"tr[data-community='{row.community.name}']")
    assert line.get_by_test_id("bi").inner_text() == str(row.bi)
    assert line.get_by_test_id("grade").inner_text().endswith("级")
    assert line.get_by_test_id("risk").is_visible()
    desk.wait_for_selector("[data-testid=aedes-map][data-ready='1']")
    assert int(desk.get_by_test_id("aedes-map").get_attribute("data-points")) >= 5
    assert desk.locator(".aedes-positive").count() >= 1
    shot(desk, "pestcontrol-aedes-home-community")
    desk.goto(f"/pestcontrol/aedes/surveys/{survey.pk}/")
    case_link = desk.get_by_test_id("visit-case")
    assert case_link.inner_text() == positive_site.case.code
    shot(desk, "pestcontrol-aedes-survey-community")
    case_link.click()
    desk.wait_for_url(f"**{positive_site.case.get_absolute_url()}")
    assert "病媒孳生地" in desk.content()
    shot(desk, "pestcontrol-aedes-case-community")
    desk.goto(f"/pestcontrol/aedes/trend/{row.community.pk}/")
    desk.wait_for_selector("[data-testid=bi-trend][data-ready='1']")
    shot(desk, "pestcontrol-aedes-trend")
