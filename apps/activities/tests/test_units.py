"""Activities pages in English print units in English (3 t, 50 sites), the drives count says it
leaves out 设施配备, and the phone form folds each output row's material and location away."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.activities import services
from apps.activities.tests.helpers import out

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.fixture
def drive(org):
    return services.activity_create(
        actor=org.community,
        kind="cleanup",
        title="A1 drive",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        participants={"resident": 100},
        outputs=[out("garbage_t", 3), out("dead_spots", 50), out("materials", 200)],
    )


def _english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en"})


def test_detail_shows_english_units(client, org, drive):
    _english(client, org.community)
    page = client.get(reverse("activities:activity_detail", args=[drive.pk])).content.decode()
    quantities = re.findall(r"<td>([\d.]+) ([^<]*)</td>", page)
    assert sorted(quantities) == [("200", "copies"), ("3", "t"), ("50", "sites")]


def test_list_bar_and_totals_page_show_english_units(client, org, drive):
    _english(client, org.community)
    for url in [reverse("activities:activity_list") + "?status=held", reverse("activities:totals")]:
        page = client.get(url).content.decode()
        assert "Activities (excluding equipment)" in page, url
        # Each measure is "name (unit)": the unit in English.
        units = re.findall(r"\(([^()<]*)\)</(?:th|div)>", page)
        assert {"t", "sites", "copies"} <= set(units), (url, units)
        assert not [u for u in units if CJK.search(u)], (url, units)


def test_chinese_labels_say_equipment_is_left_out(client, org, drive):
    client.force_login(org.community)
    for url in [reverse("activities:activity_list"), reverse("activities:totals")]:
        assert "活动次数（不含设施配备）" in client.get(url).content.decode(), url
    assert "清理卫生死角（处）" in client.get(reverse("activities:totals")).content.decode()


def test_form_rows_fold_material_and_location_and_labels_have_no_colons(client, org):
    client.force_login(org.community)
    page = client.get(reverse("activities:activity_create") + "?kind=cleanup").content.decode()
    rows = page.split('data-testid="output-row"')[1:]
    assert len(rows) >= 3
    for row in rows:
        folded = row.index('data-testid="output-more"')
        assert " open" not in row[folded : row.index(">", folded)]
        # Measure and quantity first; material and location only inside the closed <details>.
        assert row.index("-quantity") < folded < row.index("-material") < row.index("-location")
    assert not re.search(r"(数量|成效/物品|物品/资料名称|位置)[:：]", page)


def test_a_row_with_material_opens_its_details(client, org):
    activity = services.activity_create(
        actor=org.community,
        kind="publicity",
        title="leaflets",
        held_on=timezone.localdate(),
        jurisdiction=org.comm_a1,
        participants={"resident": 10},
        outputs=[out("materials", 200, material="《健康读本》")],
    )
    client.force_login(org.community)
    page = client.get(reverse("activities:activity_edit", args=[activity.pk])).content.decode()
    folded = page.index('data-testid="output-more"')
    assert " open>" in page[folded : page.index(">", folded) + 1]
