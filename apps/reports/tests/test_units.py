"""数据汇总 in English: every figure's unit (次, 份, 项, 人次, 吨, 处 …) is shown in English, on
the figure tiles and in the roll-up table's headers, and in the Excel export."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

URL = reverse("reports:totals")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _units(fragment: str) -> list[str]:
    """The unit positions: a tile's `<small> unit</small>` and a header's `label (unit)`."""
    tiles = re.findall(r"<small> ([^<]*)</small>", fragment)
    headers = re.findall(r'<th class="num">[^<]*\(([^()<]*)\)</th>', fragment)
    return tiles + headers


def test_units_are_english_in_english_mode(client, org):
    client.force_login(org.street)
    client.post(reverse("set_language"), {"language": "en"})
    found = []
    for section in client.get(URL).context["sections"]:
        fragment = client.get(URL, {"group": section["group"].slug}, HTTP_HX_REQUEST="true").content.decode()
        units = _units(fragment)
        assert units, section["group"].slug
        assert not [u for u in units if CJK.search(u)], (section["group"].slug, units)
        found += units
    for unit in ["times", "items", "copies", "person-times", "t", "sites", "m²", "hours", "points", "%"]:
        assert unit in found, (unit, sorted(set(found)))


def test_units_in_the_export_are_english(client, org):
    client.force_login(org.street)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(URL, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    column = 4  # 辖区, 分组, 指标, 数值, 单位 …
    units = {row[column] for row in rows[1:]}
    assert units and not [u for u in units if u and CJK.search(u)], units


def test_units_stay_chinese_in_chinese_mode(client, org):
    client.force_login(org.street)
    sections = client.get(URL).context["sections"]
    units = []
    for section in sections:
        units += _units(client.get(URL, {"group": section["group"].slug}, HTTP_HX_REQUEST="true").content.decode())
    assert "次" in units and "处" in units and "吨" in units
