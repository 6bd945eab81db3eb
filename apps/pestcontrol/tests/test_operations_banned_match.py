"""The banned list matches Chinese names anywhere and Latin or numeric aliases only as whole
tokens (review: "1080g", "Red Bait", "0.0424%", "666牌" were refused)."""

import pytest

from apps.pestcontrol import builtin_drugs
from apps.pestcontrol.services import drugs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["0.005%溴敌隆饵剂 1080g", "Red Bait 红饵", "杀蟑胶饵(含0.0424%)", "666牌灭蚊片"])
def test_names_that_only_contain_an_alias_inside_a_longer_token_are_allowed(name):
    builtin_drugs.ensure()
    assert drugs.banned_match(name) is None


@pytest.mark.parametrize(
    ("name", "substance"),
    [
        ("毒鼠强", "毒鼠强"),
        ("强效四二四灭鼠剂", "毒鼠强"),
        ("TETS", "毒鼠强"),
        ("鼠药 tets", "毒鼠强"),
        ("鼠药TETS", "毒鼠强"),
        ("t e t s", "毒鼠强"),
        ("１０８１", "氟乙酰胺"),
        ("1080 毒饵", "氟乙酸钠"),
        ("RS-150", "毒鼠硅"),
        ("毒 鼠 强", "毒鼠强"),
    ],
)
def test_banned_names_and_aliases_are_refused(name, substance):
    builtin_drugs.ensure()
    match = drugs.banned_match(name)
    assert match is not None and match.name == substance
